"""A connection handed to gunicorn's sync handling with its first bytes already read."""

import select
import socket

from gateway.serving.answers import RequestStalled


class ReadAheadSocket(socket.socket):
    """The accepted socket, its read-ahead bytes given out first by recv(), as if they were still unread.

    A read beyond them (a body larger than the read-ahead) waits at most
    `stall_timeout` for each piece, then raises RequestStalled (a 408) instead
    of holding the worker until gunicorn's timeout kills it. Reads with flags
    (the prompt close's look for unread bytes) and reads on a socket given its
    own timeout (gunicorn's linger) go to the socket as they are.
    """

    def __init__(self, accepted: socket.socket, kind: tuple[int, int, int], ahead: bytes, stall_timeout: float):
        """`kind` is the listener's (family, type, proto): asking the accepted socket costs two enum conversions."""
        super().__init__(*kind, fileno=accepted.detach())
        self._ahead, self._offset = ahead, 0
        self._stall_ms = int(stall_timeout * 1000)

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        if flags:
            return super().recv(bufsize, flags)
        if self._offset < len(self._ahead):
            start, self._offset = self._offset, self._offset + bufsize
            return self._ahead[start : self._offset]
        if self.gettimeout() is None and not self._readable():
            raise RequestStalled()
        return super().recv(bufsize)

    def _readable(self) -> bool:
        poller = select.poll()
        poller.register(self, select.POLLIN)
        return bool(poller.poll(self._stall_ms))
