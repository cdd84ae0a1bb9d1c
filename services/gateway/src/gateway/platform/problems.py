"""Every error is application/problem+json (RFC 9457); HTTP statuses are mapped here, once."""

import http
import logging

import marshmallow as ma
import sqlalchemy.exc
from flask import Response, json, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import BadRequest, HTTPException

from gateway.platform.db import DatabaseUnavailable
from gateway.platform.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PaymentRequired,
    RateLimited,
    ServiceError,
    Unauthenticated,
    Unavailable,
)
from gateway.platform.server_answers import DESCRIPTIONS as SERVER_ANSWERS
from gateway.platform.server_answers import ServerAnswers

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"

# Stable problem types (relative URIs, documented in the README) and their titles.
PROBLEM_TYPES = {
    400: ("bad-request", "The request is malformed"),
    401: ("unauthorized", "Authentication failed"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Resource not found"),
    405: ("method-not-allowed", "Method not allowed"),
    408: ("request-timeout", "The request did not arrive in time"),
    409: ("conflict", "Conflict"),
    413: ("payload-too-large", "Request body too large"),
    414: ("uri-too-long", "The request line is too long"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("validation-error", "The request did not validate"),
    429: ("too-many-requests", "Too many requests"),
    431: ("request-header-fields-too-large", "The header fields are too large"),
    500: ("internal-error", "Internal server error"),
    503: ("service-unavailable", "Service unavailable"),
}

SERVICE_ERROR_STATUS: dict[type[ServiceError], int] = {
    NotFound: 404,
    InvalidInput: 422,
    Conflict: 409,
    Unauthenticated: 401,
    Forbidden: 403,
    RateLimited: 429,
    Unavailable: 503,
    PaymentRequired: 402,
}
REALM = "platform"


class BadInput(BadRequest):
    """A request input that no field can take (not JSON, a NUL character): a 400 that says where."""

    def __init__(self, detail: str, kind: str, location: str, pointer: str | None = None):
        super().__init__(detail)
        self.kind = kind
        self.errors = [{"location": location, "pointer": pointer, "detail": detail}] if pointer else None


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, as every error response of this API."""

    type = ma.fields.String(metadata={"example": "/problems/validation-error"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    instance = ma.fields.String()
    errors = ma.fields.List(
        ma.fields.Dict(),
        metadata={"description": "Per-field problems: {location, pointer, detail}"},
    )


def problem(
    status: int,
    detail: str | None = None,
    errors: list | None = None,
    kind: str | None = None,
    headers: dict | None = None,
) -> Response:
    """A problem+json response."""
    body = problem_fields(status, detail, kind)
    body["instance"] = request.path
    if errors:
        body["errors"] = errors
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON, headers=headers)


def problem_fields(status: int, detail: str | None = None, kind: str | None = None) -> dict:
    """The type, title, status and detail of a problem; the server's own answers (gateway/serving) use it too."""
    slug, title = PROBLEM_TYPES.get(status, (None, None))
    if slug is None:
        phrase = http.HTTPStatus(status).phrase
        slug, title = phrase.lower().replace(" ", "-"), phrase
    body = {"type": f"/problems/{kind or slug}", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return body


def flatten_messages(messages, location: str | None = None, path: tuple = ()) -> list[dict]:
    """webargs/marshmallow error dicts -> [{location, pointer, detail}], one per message."""
    out = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if location is None and not path:
                out += flatten_messages(value, key, ())
            else:
                out += flatten_messages(value, location, (*path, key))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        pointer = "/" + "/".join(str(p) for p in path if p != "_schema")
        out += [{"location": location, "pointer": pointer, "detail": m} for m in messages]
    elif isinstance(messages, list):
        for index, value in enumerate(messages):
            out += flatten_messages(value, location, (*path, index))
    else:
        out.append({"location": location, "pointer": "/" + "/".join(map(str, path)), "detail": str(messages)})
    return out


class ProblemApi(Api):
    """flask-smorest's Api with problem+json errors, in responses and in the OpenAPI document."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException):
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        messages = data.get("messages") or data.get("errors")
        headers = data.get("headers") or _own_headers(error)
        if isinstance(error, BadInput):
            return problem(400, error.description, errors=error.errors, kind=error.kind)
        if status >= 500:
            original = getattr(error, "original_exception", None)
            if original is not None:
                log.error("unhandled error on %s %s", request.method, request.path, exc_info=original)
            return problem(status, "The server could not complete the request; it has been logged.")
        if status == 400 and messages and "json" in messages and isinstance(messages["json"], list):
            return problem(400, "The body is not valid JSON.", kind="malformed-json")
        if status == 422 and messages:
            errors = flatten_messages(messages)
            return problem(422, _summarise(errors), errors=errors, headers=headers)
        detail = data.get("message") or error.description
        return problem(status, detail, headers=headers)

    def _init_spec(self, *, extra_plugins=None, **options):
        """The spec, with the server's own answers (400, 408, 414, 431) on every operation."""
        answers = ServerAnswers({status: http.HTTPStatus(status).name for status in SERVER_ANSWERS})
        super()._init_spec(extra_plugins=[*(extra_plugins or ()), answers], **options)

    def _register_responses(self):
        """Like flask-smorest's, but error responses are documented as problem+json."""
        for status in http.HTTPStatus:
            response = {"description": SERVER_ANSWERS.get(status, status.phrase)}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def _own_headers(error: HTTPException) -> dict | None:
    """The headers werkzeug gives the error (405's Allow, 416's Content-Range), less its HTML page's type."""
    own = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    return own or None


def _summarise(errors: list[dict]) -> str:
    first = errors[0]
    where = first["pointer"].lstrip("/") or "body"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first['detail']}{more}"


def _error_headers(error: ServiceError) -> dict | None:
    if isinstance(error, Unauthenticated):  # RFC 6750 section 3
        challenge = f'Bearer realm="{REALM}"'
        if error.invalid_token:
            description = error.detail.replace('"', "'")
            challenge += f', error="invalid_token", error_description="{description}"'
        return {"WWW-Authenticate": challenge}
    if isinstance(error, RateLimited | Unavailable):
        return {"Retry-After": str(error.retry_after)}
    return None


def register_error_handlers(app) -> None:
    """Service-layer errors and anything unexpected become problem+json too."""

    def service_error(error: ServiceError):
        status = SERVICE_ERROR_STATUS.get(type(error), 400)
        errors = None
        if isinstance(error, InvalidInput) and error.field:
            errors = [{"location": "json", "pointer": f"/{error.field}", "detail": error.detail}]
        return problem(status, error.detail, errors=errors, headers=_error_headers(error))

    app.register_error_handler(ServiceError, service_error)

    def database_unavailable(error: sqlalchemy.exc.OperationalError | DatabaseUnavailable):
        log.error("database unavailable on %s %s: %s", request.method, request.path, getattr(error, "orig", error))
        detail = "The database is unavailable; nothing was recorded. Try again shortly."
        return problem(503, detail, headers={"Retry-After": "5"})

    app.register_error_handler(sqlalchemy.exc.OperationalError, database_unavailable)
    app.register_error_handler(DatabaseUnavailable, database_unavailable)
