"""Declaring the topology at process start survives a broker that goes away half-way.

Every service declares the topology when it starts. When the broker stopped in
the middle of that (RabbitMQ restarting while the stack starts), the relay died
of it and no outbox row was ever published again. A proxy in front of the real
broker cuts the connection after the handshake, in the middle of the
declarations.
"""

import contextlib
import socket
import threading
from urllib.parse import urlsplit, urlunsplit

from shared.amqp.topology import ensure_declared

AMQP_HEADER_AND_HANDSHAKE = 1_500  # client bytes: past connection.open, well before the last declaration


class CuttingProxy:
    """Forwards one TCP connection to the broker and drops both sides after `cut_after` client bytes."""

    def __init__(self, upstream: tuple[str, int], cut_after: int):
        self.upstream, self.cut_after, self.forwarded = upstream, cut_after, 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            client, _ = self.listener.accept()
            server = socket.create_connection(self.upstream)
            threading.Thread(target=self._pipe, args=(server, client, None), daemon=True).start()
            self._pipe(client, server, self.cut_after)

    def _pipe(self, source: socket.socket, sink: socket.socket, limit: int | None) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(256):
                if limit is not None:
                    chunk = chunk[: limit - self.forwarded]
                    self.forwarded += len(chunk)
                sink.sendall(chunk)
                if limit is not None and self.forwarded >= limit:
                    break
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def close(self) -> None:
        self.listener.close()


def test_a_connection_lost_during_the_declarations_is_false_not_a_crash(amqp_url):
    parts = urlsplit(amqp_url)
    proxy = CuttingProxy((parts.hostname, parts.port or 5672), AMQP_HEADER_AND_HANDSHAKE)
    cut_url = urlunsplit(parts._replace(netloc=f"{parts.username}:{parts.password}@127.0.0.1:{proxy.port}"))
    try:
        assert ensure_declared(cut_url, [1000], "test-cut") is False
    finally:
        proxy.close()
    assert proxy.forwarded == AMQP_HEADER_AND_HANDSHAKE  # the cut came after the handshake, mid-declarations
    assert ensure_declared(amqp_url, [1000], "test-whole") is True


def test_a_broker_that_is_not_there_is_false(amqp_url):
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    parts = urlsplit(amqp_url)
    assert ensure_declared(urlunsplit(parts._replace(netloc=f"guest:guest@127.0.0.1:{port}")), [1000], "x") is False
