"""gunicorn's sync handling, with two changes that save system calls and packets on every request.

The head of the answer leaves with its body. gunicorn sends the status line and
headers in one write and the body in another: two system calls and two TCP
segments for every answer, each waking the client. Here the head is held until
the first body bytes (or the end of the answer) and leaves with them.

The connection is closed without waiting for the client to close first.

gunicorn 23+ ends every connection by half-closing it and then reading until
the client closes its side (up to 2 s), so that unread request bytes cannot
turn the close into a reset that truncates the answer (RFC 9112, 9.6). A sync
worker serves one connection at a time, so each request also paid a round
trip to the client. Here the worker looks once, without blocking: if nothing
more has arrived (the usual case: the body was read), it closes at once; if
the client is still sending (an unread body, as after a 413), it lingers
exactly as gunicorn does.

Both replace gunicorn internals: the gateway.serving package, which checks the
gunicorn release first, is the way in. `install` puts them in place for one
worker process, which gateway.serving.PromptCloseSyncWorker does unless
FAST_PATHS=0.
"""

import socket

from gunicorn import util
from gunicorn.http import wsgi

_linger = util.close_graceful


def close_promptly(sock: socket.socket, timeout: float = 2.0, max_drain: int = 65536) -> None:
    """Close at once when the client has nothing more in flight; otherwise drain first, as gunicorn does."""
    try:
        sock.shutdown(socket.SHUT_WR)
        pending = sock.recv(max_drain, socket.MSG_DONTWAIT)
    except BlockingIOError:  # nothing unread: the close cannot become a reset
        pending = b""
    except OSError:
        pending = b""
    if pending:
        _linger(sock, timeout, max_drain - len(pending))
    else:
        sock.close()


class OneWriteResponse(wsgi.Response):
    """gunicorn's response, its head held back until it can leave with the first body bytes."""

    _held = b""
    _holding = True

    def send_headers(self) -> None:
        if self.headers_sent or not self._holding:
            super().send_headers()
            return
        head = [*self.default_headers(), *(f"{name}: {value}\r\n" for name, value in self.headers)]
        self._held = ("".join(head) + "\r\n").encode("latin-1")
        self.headers_sent = True

    def _emit_body(self, data: bytes) -> None:
        if self._held and not self.chunked:
            data, self._held = self._held + data, b""
        self._release()
        super()._emit_body(data)

    def sendfile(self, respiter) -> bool:
        self._holding = False  # the file goes to the socket directly: its head must be written first
        return super().sendfile(respiter)

    def close(self) -> None:
        if not self.headers_sent:
            self.send_headers()
        self._release()
        super().close()

    def _release(self) -> None:
        if self._held:
            held, self._held = self._held, b""
            self.sock.sendall(held)


def install() -> None:
    """This worker process answers in one write and closes promptly (gunicorn's modules, patched in place)."""
    util.close_graceful = close_promptly  # the sync worker calls it by module
    wsgi.Response = OneWriteResponse  # wsgi.create() builds its response from the module's name
