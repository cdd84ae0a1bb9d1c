"""The worker's own answers, problem+json like the API's: a request refused before the app sees it.

gunicorn writes these as HTML pages that quote the offending bytes back; here
each is the problem the API would give (gateway.platform.problems.problem_fields), with a
fixed detail that never echoes what the client sent.
"""

import functools
import http
import json

from gunicorn.http import errors as gunicorn_errors
from werkzeug.exceptions import RequestTimeout

from gateway.platform.problems import PROBLEM_JSON, problem_fields

SERVER_ERROR = (500, "The server could not complete the request; it has been logged.")


class RequestStalled(RequestTimeout):
    """A request body stopped arriving: a 408, from the app's error handlers or the worker's."""

    description = "The request body stopped arriving."


# gunicorn's refusals, most specific first: (exception classes, status, detail).
_REFUSALS = (
    (RequestStalled, 408, RequestStalled.description),
    (gunicorn_errors.LimitRequestLine, 414, "The request line is too long."),
    (gunicorn_errors.LimitRequestHeaders, 431, "The header fields are too large or too many."),
    (
        (
            gunicorn_errors.InvalidRequestLine,
            gunicorn_errors.InvalidRequestMethod,
            gunicorn_errors.InvalidHTTPVersion,
            gunicorn_errors.InvalidH2CPreface,
        ),
        400,
        "The request line is malformed.",
    ),
    (
        (
            gunicorn_errors.InvalidResponseHeader,  # before InvalidHeader, its parent: the app's fault
            gunicorn_errors.InvalidResponseHeaderName,
        ),
        *SERVER_ERROR,
    ),
    (
        (
            gunicorn_errors.InvalidHeader,
            gunicorn_errors.InvalidHeaderName,
            gunicorn_errors.ObsoleteFolding,
            gunicorn_errors.InvalidSchemeHeaders,
        ),
        400,
        "A header field is malformed.",
    ),
    (
        (
            gunicorn_errors.InvalidChunkSize,
            gunicorn_errors.ChunkMissingTerminator,
            gunicorn_errors.InvalidChunkExtension,
        ),
        400,
        "The chunked body is malformed.",
    ),
    ((gunicorn_errors.InvalidProxyLine, gunicorn_errors.InvalidProxyHeader), 400, "The PROXY header is malformed."),
    (gunicorn_errors.ForbiddenProxyRequest, 403, "PROXY headers are not accepted from this address."),
    (gunicorn_errors.UnsupportedTransferCoding, 501, "Only the chunked transfer coding is supported."),
    (gunicorn_errors.ExpectationFailed, 417, "Only `Expect: 100-continue` is supported."),
)

TIMED_OUT = (408, "The request did not arrive whole in time.")
OVERLOADED = (503, "Too many connections are still sending their requests; try again.")
URI_TOO_LONG = (414, "The request line is too long.")
HEAD_TOO_LARGE = (431, "The header fields are too large or too many.")


def refusal(error: BaseException) -> tuple[int, str]:
    """The status and detail answering `error`; a 500 for anything that is not the client's fault."""
    for kinds, status, detail in _REFUSALS:
        if isinstance(error, kinds):
            return status, detail
    return SERVER_ERROR


@functools.cache
def render(status: int, detail: str) -> bytes:
    """The whole answer, head and problem+json body; the connection closes after it."""
    body = json.dumps(problem_fields(status, detail), separators=(",", ":")).encode()
    retry = "Retry-After: 1\r\n" if status == 503 else ""
    head = (
        f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}\r\nContent-Type: {PROBLEM_JSON}\r\n"
        f"Content-Length: {len(body)}\r\n{retry}Connection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body
