"""gunicorn's sync worker, closing a finished connection without waiting for the client to close first.

gunicorn 23+ ends every connection by half-closing it and then reading until
the client closes its side (up to 2 s), so that unread request bytes cannot
turn the close into a reset that truncates the answer (RFC 9112, 9.6). A sync
worker serves one connection at a time, so each request also paid a round
trip to the client. Here the worker looks once, without blocking: if nothing
more has arrived (the usual case: the body was read), it closes at once; if
the client is still sending (an unread body, as after a 413), it lingers
exactly as gunicorn does.
"""

import socket

from gunicorn import util
from gunicorn.workers.sync import SyncWorker

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


class PromptCloseSyncWorker(SyncWorker):
    """The sync worker (one request at a time, Connection: close), with `close_promptly`."""

    def init_process(self) -> None:
        util.close_graceful = close_promptly  # this worker process only; the sync worker calls it by module
        super().init_process()
