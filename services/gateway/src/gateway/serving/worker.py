"""gunicorn's sync worker, tied to a connection only once the connection's request has arrived.

A sync worker serves one connection at a time, and gunicorn reads a request
with blocking recv()s: a client that sends its head a byte every few seconds
holds a worker until gunicorn's timeout kills it, and a handful of such
clients hold every worker. Here an accepted connection waits in a selector,
read without blocking, until its head is whole, and its body too when it is
small (REQUEST_BODY_PREREAD_BYTES); only then is it served, the bytes already
read handed to gunicorn's parser. One not whole REQUEST_HEAD_TIMEOUT_SECONDS
after it was accepted is answered 408 and closed. A larger body streams as
before, each read waiting at most that long (then 408 too).

The usual request, whose head (and small body) arrive in one packet, costs
nothing more: the recv() that reads it is the one gunicorn would have made.

gunicorn's own refusals (a malformed or oversized request line or head) are
problem+json here, like the API's errors (answers.py), and never quote the
request back.
"""

import errno
import os
import selectors
import socket
import time

from gateway.serving import answers
from gateway.serving.arrivals import Arrival, Arrivals, ip_of
from gateway.serving.connection import ReadAheadSocket
from gateway.serving.framing import Framing, Verdict
from gateway.serving.prompt_close import PromptCloseSyncWorker
from gateway.settings import GatewaySettings

HEAD_MAX_BYTES = 64 * 1024  # real clients send heads under 8 KiB; nginx's default buffers take 32 KiB
WAITING_MAX = 512  # connections one worker holds while their requests arrive (or while it says goodbye)
FIRST_READ = 8192  # gunicorn's own first read: enough for the usual head and body, and cheap to allocate
READ_SIZE = 64 * 1024  # the reads after a full one (a body larger than the first read), up to the read-ahead
_WAKE = object()
_OUT_OF_DESCRIPTORS = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)
_REFUSALS = {Verdict.URI_TOO_LONG: answers.URI_TOO_LONG, Verdict.HEAD_TOO_LARGE: answers.HEAD_TOO_LARGE}


class HeadFirstSyncWorker(PromptCloseSyncWorker):
    """The sync worker with prompt closes, serving a connection once its request is in hand (see the module)."""

    def init_process(self) -> None:
        if self.cfg.is_ssl:
            raise RuntimeError("HeadFirstSyncWorker reads plain HTTP: terminate TLS in front of the gateway")
        super().init_process()

    def run(self) -> None:
        settings = self._settings()
        line_max = min(self.cfg.limit_request_line or HEAD_MAX_BYTES, HEAD_MAX_BYTES)
        self.framing = Framing(line_max, HEAD_MAX_BYTES, settings.request_body_preread_bytes)
        self.head_timeout = settings.request_head_timeout_seconds
        self.selector = selectors.DefaultSelector()
        self.arrivals = Arrivals(self.selector, self.log)
        for listener in self.sockets:
            listener.setblocking(False)
            self.selector.register(
                listener, selectors.EVENT_READ, (int(listener.family), int(listener.type), listener.proto)
            )
        self.selector.register(self.PIPE[0], selectors.EVENT_READ, _WAKE)
        try:
            self._serve_until_stopped()
        finally:
            self.arrivals.close_all()
            self.selector.close()

    def _settings(self) -> GatewaySettings:
        """The app's settings, as create_app read them; read afresh only for an app built another way."""
        deps = getattr(self.wsgi, "extensions", {}).get("gateway")
        return deps.settings if deps is not None else GatewaySettings()

    def _serve_until_stopped(self) -> None:
        accepting = True
        while True:
            self.notify()
            if accepting and not self.alive:  # max_requests, or a graceful stop: finish what has been accepted
                for listener in self.sockets:
                    self.selector.unregister(listener)
                accepting = False
            now = time.monotonic()
            self.arrivals.expire(now)
            if not (self.alive or self.arrivals):
                return
            for key, _ in self.selector.select(self.arrivals.timeout(now, self.timeout or 0.5)):
                if key.data is _WAKE:
                    _drain(self.PIPE[0])
                elif isinstance(key.data, Arrival):
                    self._read(key.data)
                elif accepting and self.alive:
                    self._accept(key.fileobj, key.data)
            if not self.is_parent_alive():
                return

    def _accept(self, listener, kind: tuple[int, int, int]) -> None:
        while self.alive:
            self.notify()  # per connection, as gunicorn's loop: a long burst must not look like a hung worker
            try:
                sock, addr = listener.accept()
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                return
            except OSError as error:
                if error.errno not in _OUT_OF_DESCRIPTORS or not self.arrivals.shed(time.monotonic(), at_once=True):
                    raise
                return  # a descriptor was freed; the connection waits in the backlog until the next round
            now = time.monotonic()
            if len(self.arrivals) >= WAITING_MAX:
                self.arrivals.shed(now, at_once=False)
            self._read(Arrival(sock, addr, listener, kind, now + self.head_timeout))
            if self.arrivals.arriving:
                return  # between two requests served, those still arriving are read

    def _read(self, arrival: Arrival) -> None:
        if arrival.done:
            return
        if arrival.refused:  # what a refused client still sends is dropped until it closes or lingers too long
            if _recv_now(arrival.sock, READ_SIZE) == b"":
                self.arrivals.close(arrival)
            return
        verdict = self._take(arrival)
        if verdict is None:
            self.arrivals.close(arrival)  # the client left before sending a whole request
        elif verdict is Verdict.MORE:
            self.arrivals.wait(arrival)
        elif verdict is Verdict.READY:
            self.arrivals.release(arrival)
            client = ReadAheadSocket(arrival.sock, arrival.kind, bytes(arrival.data), self.head_timeout)
            self.handle(arrival.listener, client, arrival.addr)
        else:
            self.arrivals.refuse(arrival, _REFUSALS[verdict], time.monotonic())

    def _take(self, arrival: Arrival) -> Verdict | None:
        """Read what has arrived, and judge it; a full read is followed by another. None when the client left."""
        size = READ_SIZE if arrival.data else FIRST_READ
        while True:
            chunk = _recv_now(arrival.sock, size)
            if chunk == b"":
                return None
            if chunk:
                arrival.add(chunk)
            verdict = self.framing.assess(arrival.data)
            if verdict is not Verdict.MORE or chunk is None or len(chunk) < size:
                return verdict
            size = READ_SIZE

    def handle_error(self, req, client, addr, exc) -> None:
        """gunicorn's refusals as problem+json that never quote the request (gunicorn's are HTML pages that do)."""
        status, detail = answers.refusal(exc)
        if status >= 500:
            self.log.exception("Error handling request %s", getattr(req, "uri", "(no URI read)"))
        else:
            self.log.warning("Invalid request from ip=%s: %s (%s)", ip_of(addr), type(exc).__name__, status)
        try:
            client.send(answers.render(status, detail), socket.MSG_DONTWAIT)
        except OSError:
            self.log.debug("Failed to send error message.")


def _recv_now(sock: socket.socket, size: int) -> bytes | None:
    """What has arrived, without waiting: None when nothing has, b"" when the client closed or reset."""
    try:
        return sock.recv(size, socket.MSG_DONTWAIT)
    except BlockingIOError:
        return None
    except OSError:
        return b""


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 4096):
            pass
    except BlockingIOError:
        pass
