"""Every error is application/problem+json (RFC 9457), with the gateway's stable problem types."""

import json

from aiohttp import web

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPES = {
    400: ("bad-request", "The request is malformed"),
    401: ("unauthorized", "Authentication failed"),
    404: ("not-found", "Resource not found"),
    405: ("method-not-allowed", "Method not allowed"),
    431: ("request-header-fields-too-large", "Request header fields too large"),
    500: ("internal-error", "Internal server error"),
    503: ("service-unavailable", "Service unavailable"),
    504: ("gateway-timeout", "The request took too long"),
}
# Headers of aiohttp's own errors that belong to the answer (405's Allow); its text body and type do not.
KEPT_HEADERS = ("Allow",)
REALM = "platform"


def problem(
    status: int, detail: str | None = None, headers: dict[str, str] | None = None, cls: type = web.Response
) -> web.Response:
    slug, title = PROBLEM_TYPES.get(status, ("error", "Error"))
    body = {"type": f"/problems/{slug}", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return cls(status=status, text=json.dumps(body), content_type=PROBLEM_JSON, headers=headers)


def unauthorized(detail: str) -> web.Response:
    challenge = f'Bearer realm="{REALM}", error="invalid_token", error_description="{detail}"'
    return problem(401, detail, headers={"WWW-Authenticate": challenge})


@web.middleware
async def problems_middleware(request: web.Request, handler):
    """aiohttp's own errors (404, 405, a crash) as problems too."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        kept = {name: exc.headers[name] for name in KEPT_HEADERS if name in exc.headers}
        return problem(exc.status, exc.reason, headers=kept or None)
    except Exception:
        request.app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return problem(500)
