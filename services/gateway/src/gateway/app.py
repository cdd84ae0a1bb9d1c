"""The application factory: the gateway's composition root."""

import dataclasses

import swagger_ui_bundle
from flask import Flask, current_app, send_from_directory

from gateway.db import Database
from gateway.errors import ProblemApi, register_error_handlers
from gateway.settings import GatewaySettings
from shared.webhooks import WebhookVerifier

API_DESCRIPTION = """Hand slow AI work to background services and never lose it.

Every asynchronous resource moves through one status vocabulary: `queued`,
`processing`, `retrying`, `completed`, `failed` (and `cancelled`). A status only
moves forward. Every error is `application/problem+json` (RFC 9457).
"""


@dataclasses.dataclass
class Deps:
    """What the views need, built once per process."""

    settings: GatewaySettings
    db: Database
    jobs_webhooks: WebhookVerifier | None


def deps() -> Deps:
    """The current app's dependencies."""
    return current_app.extensions["gateway"]


def create_app(settings: GatewaySettings | None = None, database: Database | None = None) -> Flask:
    """Build the WSGI app; nothing connects until a request needs it."""
    settings = settings or GatewaySettings()
    app = Flask(__name__)
    app.url_map.strict_slashes = False
    app.config.update(
        API_TITLE="Event-driven platform API",
        API_VERSION="0.1.0",
        OPENAPI_VERSION="3.1.0",
        API_SPEC_OPTIONS={"info": {"description": API_DESCRIPTION}},
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="schema/",
        OPENAPI_SWAGGER_UI_PATH="swagger/",
        OPENAPI_SWAGGER_UI_URL="/static/swagger-ui/",
        OPENAPI_REDOC_PATH="redoc/",
        OPENAPI_REDOC_URL="/static/redoc/redoc.standalone.js",
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        MAX_JOB_TEXT_BYTES=settings.max_job_text_bytes,
        MAX_PAGE_SIZE=settings.max_page_size,
    )
    verifier = None
    if settings.jobs_webhook_secrets:
        verifier = WebhookVerifier(settings.jobs_webhook_secrets, settings.webhook_tolerance_seconds)
    app.extensions["gateway"] = Deps(
        settings=settings,
        db=database or Database(settings.database_url, settings.db_pool_size),
        jobs_webhooks=verifier,
    )
    api = ProblemApi(app)
    register_error_handlers(app)
    _register_blueprints(api)
    _serve_swagger_ui_offline(app)
    return app


def _register_blueprints(api: ProblemApi) -> None:
    from gateway.api.health.routes import blp as health
    from gateway.api.jobs.routes import blp as jobs
    from gateway.api.webhooks.routes import blp as webhooks

    for blueprint in (jobs, health, webhooks):
        api.register_blueprint(blueprint)


def _serve_swagger_ui_offline(app: Flask) -> None:
    """Swagger UI's assets come from the swagger-ui-bundle package, never a CDN."""

    @app.get("/static/swagger-ui/<path:filename>")
    def swagger_ui_asset(filename: str):
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)
