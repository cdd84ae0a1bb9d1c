"""The application factory: the Flask app, and its blueprints registered with what gateway.bootstrap builds."""

import swagger_ui_bundle
from authlib.integrations.flask_client import OAuth
from flask import Flask, send_from_directory
from werkzeug.middleware.proxy_fix import ProxyFix

from gateway.bootstrap import Deps, bootstrap
from gateway.platform.db import Database
from gateway.platform.decoding import CheckedRequest
from gateway.platform.http import IdConverter
from gateway.platform.jsoncodec import OrjsonProvider
from gateway.platform.problems import ProblemApi, register_error_handlers
from gateway.settings import GatewaySettings

API_DESCRIPTION = """Hand slow AI work to background services and never lose it.

Every asynchronous resource moves through one status vocabulary: `queued`,
`processing`, `retrying`, `completed`, `failed` (and `cancelled`). A status only
moves forward. Every error is `application/problem+json` (RFC 9457).
"""


def create_app(settings: GatewaySettings | None = None, database: Database | None = None) -> Flask:
    """Build the WSGI app; nothing connects until a request needs it."""
    settings = settings or GatewaySettings()
    app = Flask(__name__)
    app.request_class = CheckedRequest  # one decoding layer: no NUL in a query, form or JSON body
    app.json = OrjsonProvider(app)
    app.url_map.strict_slashes = False
    app.url_map.converters["id"] = IdConverter  # before any route: `/api/styles/me` is never a style id
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
    _fast_paths(app, settings)
    if settings.trusted_proxy_count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxy_count, x_proto=settings.trusted_proxy_count)
    app.secret_key = settings.secret_key or None
    app.config.update(SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=settings.app_env == "production")
    deps = bootstrap(settings, database)
    app.extensions["gateway"] = deps  # the app's own handle on them: the fast submit path's, the tests'
    _google_login(app, settings)
    api = ProblemApi(app)
    register_error_handlers(app)
    _register_blueprints(api, deps)
    _serve_swagger_ui_offline(app)
    _serve_local_media(app, deps)
    return app


def _fast_paths(app: Flask, settings: GatewaySettings) -> None:
    """gateway/fastpaths/README.md, unless FAST_PATHS=0: the submission and careers-read middlewares, compiled
    dumps, loads, plans."""
    from gateway.fastpaths.install import install_fast_paths

    install_fast_paths(app, settings.fast_paths)


def _google_login(app: Flask, settings: GatewaySettings) -> None:
    """The Google OpenID Connect client, when a client id is set; no I/O until a login needs the metadata."""
    oauth = OAuth(app)
    if settings.google_client_id:
        oauth.register(
            "google",
            client_id=settings.google_client_id,
            client_secret=settings.google_client_secret,
            server_metadata_url=f"{settings.google_issuer.rstrip('/')}/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile", "default_timeout": 10, "code_challenge_method": "S256"},
        )


def _register_blueprints(api: ProblemApi, deps: Deps) -> None:
    from gateway.accounts.guard import BEARER_AUTH, SECURITY_SCHEME
    from gateway.platform.operator import OPERATOR_AUTH, OPERATOR_SCHEME

    api.spec.components.security_scheme(BEARER_AUTH, SECURITY_SCHEME)
    api.spec.components.security_scheme(OPERATOR_AUTH, OPERATOR_SCHEME)
    from gateway.classroom.participants_auth import PARTICIPANT_AUTH, PARTICIPANT_SCHEME

    api.spec.components.security_scheme(PARTICIPANT_AUTH, PARTICIPANT_SCHEME)
    from gateway.accounts.api import blp as auth
    from gateway.accounts.api import users
    from gateway.accounts.api_keys_api import blp as api_keys
    from gateway.accounts.google import blp as google_login
    from gateway.careers.codes_api import blp as codes
    from gateway.careers.dashboard_api import blp as dashboard
    from gateway.careers.feedback_api import blp as resume_feedbacks
    from gateway.careers.interviews_api import blp as interviews
    from gateway.careers.postings_api import blp as job_postings
    from gateway.careers.profiles_api import blp as career_profile
    from gateway.careers.resumes_api import blp as resumes
    from gateway.careers.study_guides_api import blp as study_guides
    from gateway.catalog.api import blp as catalog
    from gateway.classroom.activity_api import blp as activity_logs
    from gateway.classroom.app_links import blp as app_links
    from gateway.classroom.help_api import blp as help_requests
    from gateway.classroom.lectures_api import blp as lectures
    from gateway.classroom.participants_api import blp as session_participants
    from gateway.classroom.presence_api import blp as session_presence
    from gateway.classroom.recordings_api import blp as recordings
    from gateway.classroom.sessions_api import blp as class_sessions
    from gateway.classroom.statistics_api import blp as classroom_statistics
    from gateway.classroom.tasks_api import blp as tasks
    from gateway.community.comments_api import blp as comments
    from gateway.community.likes_api import blp as likes
    from gateway.community.profiles_api import blp as profiles
    from gateway.community.search_api import blp as search
    from gateway.jobs.api import blp as jobs
    from gateway.notifications.api import blp as notifications
    from gateway.notifications.endpoints_api import blp as webhook_endpoints
    from gateway.payments.api import blp as payments
    from gateway.platform.health_api import blp as health
    from gateway.studio.generations_api import blp as generations
    from gateway.studio.signatures_api import blp as signatures
    from gateway.studio.styles_api import blp as styles
    from gateway.wallet.api import blp as tokens
    from gateway.webhooks import blueprints as internal_webhooks

    blueprints = (auth, google_login, users, api_keys, jobs, catalog, payments, tokens, notifications)
    studio = (styles, generations, signatures)
    community = (likes, comments, profiles, search)
    careers = (resumes, job_postings, codes, resume_feedbacks, interviews, study_guides, career_profile, dashboard)
    classroom = (lectures, tasks, app_links, class_sessions, session_participants, session_presence)
    classroom += (help_requests, recordings)
    classroom += (activity_logs, classroom_statistics)
    lines = (*studio, *community, *careers, *classroom)
    for blueprint in (*blueprints, *lines, webhook_endpoints, health, *internal_webhooks()):
        api.register_blueprint(blueprint, deps=deps)


def _serve_local_media(app: Flask, deps: Deps) -> None:
    """Files of the local object store at STORAGE_MEDIA_URL; S3 objects are fetched by presigned URL instead."""
    from gateway.studio.media_api import serve_local_media

    serve_local_media(app, deps.store, deps.db, deps.settings.storage_media_url)


def _serve_swagger_ui_offline(app: Flask) -> None:
    """Swagger UI's assets come from the swagger-ui-bundle package, never a CDN."""

    @app.get("/static/swagger-ui/<path:filename>")
    def swagger_ui_asset(filename: str):
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)
