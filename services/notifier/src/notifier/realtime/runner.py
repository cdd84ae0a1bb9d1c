"""The push server's runner: no `Server` header, and requests aiohttp cannot parse answered with a bare problem.

aiohttp names itself and the Python version in a `Server` header on every
answer, and answers a request its parser refuses (an oversized header, a bad
request line) before any middleware runs, quoting the offending line back as
text: that line can be an `Authorization` header. Here the app's answers drop
the header as they are prepared, and each connection's `handle_error` (where
aiohttp builds the answers it makes by itself) answers problem+json that
quotes nothing of the request.
"""

from aiohttp import hdrs, web
from aiohttp.http_exceptions import LineTooLong
from aiohttp.web_protocol import RequestHandler

from notifier.realtime.problems import problem

DETAILS = {
    400: "The request is not valid HTTP/1.1.",
    431: "The request line or a header is longer than this server accepts.",
    500: "The server could not complete the request; it has been logged.",
    504: "The request took too long.",
}


class PushRunner(web.AppRunner):
    """An AppRunner whose every answer, aiohttp's own errors included, says nothing about the server or request."""

    def __init__(self, app: web.Application, **kwargs):
        app.on_response_prepare.append(_drop_server_header)
        super().__init__(app, **kwargs)

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = _Server  # the app builds its Server itself; this is the one seam to its connections
        return server


class _Server(web.Server):
    def __call__(self) -> RequestHandler:
        return _RequestHandler(self, loop=self._loop, **self._kwargs)


class _RequestHandler(RequestHandler):
    def handle_error(self, request, status: int = 500, exc: BaseException | None = None, message: str | None = None):
        """A problem+json answer for what aiohttp refused or could not finish (logged by aiohttp as before)."""
        super().handle_error(request, status, exc, message)  # logs; raises if an answer was already started
        if isinstance(exc, LineTooLong):
            status = 431
        answer = problem(status, DETAILS.get(status), cls=_BareResponse)
        answer.force_close()
        return answer


class _BareResponse(web.Response):
    """A Response without the `Server` header (aiohttp's answers skip on_response_prepare)."""

    async def _prepare_headers(self) -> None:
        await super()._prepare_headers()
        self.headers.popall(hdrs.SERVER, None)


async def _drop_server_header(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.popall(hdrs.SERVER, None)
