"""Publishes batches with publisher confirms on pika's asynchronous SelectConnection.

A blocking channel waits for each confirm in turn; a quorum queue confirms only
after its log is synced, so one-at-a-time would cap throughput at a few hundred
messages a second. Here a whole batch is sent, and its callback runs once the
broker has confirmed (or refused) every message in it.
"""

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

import pika
from pika.adapters.select_connection import SelectConnection

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Outgoing:
    """A message ready for the wire."""

    exchange: str
    routing_key: str
    body: bytes
    message_id: str
    type: str
    headers: dict[str, Any] = dataclasses.field(default_factory=dict)
    app_id: str = "gateway"

    def properties(self) -> pika.BasicProperties:
        return pika.BasicProperties(
            content_type="application/json",
            delivery_mode=pika.DeliveryMode.Persistent,
            message_id=self.message_id,
            type=self.type,
            app_id=self.app_id,
            headers=self.headers or None,
        )


BatchCallback = Callable[[list[bool]], None]


@dataclasses.dataclass
class _Batch:
    callback: BatchCallback
    results: list[bool | None]
    remaining: int


class ConfirmingPublisher:
    """Owns one SelectConnection and channel in confirm mode; everything runs on its ioloop."""

    def __init__(
        self,
        params: pika.ConnectionParameters,
        on_ready: Callable[[], None],
        on_lost: Callable[[str], None],
    ):
        self._params = params
        self._on_ready = on_ready
        self._on_lost = on_lost
        self._connection: SelectConnection | None = None
        self._channel = None
        self._next_tag = 0
        self._pending: dict[int, tuple[_Batch, int]] = {}

    @property
    def ioloop(self):
        return self._connection.ioloop

    @property
    def ready(self) -> bool:
        return self._channel is not None and self._channel.is_open

    def connect(self) -> SelectConnection:
        """Open the connection; callbacks fire once the ioloop runs."""
        self._connection = SelectConnection(
            self._params,
            on_open_callback=lambda conn: conn.channel(on_open_callback=self._on_channel_open),
            on_open_error_callback=lambda _conn, err: self._lost(f"connect failed: {err}"),
            on_close_callback=lambda _conn, reason: self._lost(f"connection closed: {reason}"),
        )
        return self._connection

    def close(self) -> None:
        if self._connection is not None and self._connection.is_open:
            self._connection.close()

    def publish(self, batch: list[Outgoing], callback: BatchCallback) -> None:
        """Send every message; `callback(results)` runs when all are confirmed (True) or refused."""
        state = _Batch(callback, [None] * len(batch), len(batch))
        if not batch:
            callback([])
            return
        if not self.ready:
            callback([False] * len(batch))
            return
        for index, message in enumerate(batch):
            self._channel.basic_publish(message.exchange, message.routing_key, message.body, message.properties())
            self._next_tag += 1
            self._pending[self._next_tag] = (state, index)

    def _on_channel_open(self, channel) -> None:
        self._channel = channel
        self._next_tag = 0
        channel.add_on_close_callback(lambda _ch, reason: self._lost(f"channel closed: {reason}"))
        channel.confirm_delivery(ack_nack_callback=self._on_confirm)
        self._on_ready()

    def _on_confirm(self, frame) -> None:
        method = frame.method
        acked = isinstance(method, pika.spec.Basic.Ack)
        tags = [t for t in self._pending if t <= method.delivery_tag] if method.multiple else [method.delivery_tag]
        for tag in sorted(tags):
            entry = self._pending.pop(tag, None)
            if entry is not None:
                self._resolve(*entry, acked)

    def _resolve(self, batch: _Batch, index: int, ok: bool) -> None:
        batch.results[index] = ok
        batch.remaining -= 1
        if batch.remaining == 0:
            batch.callback([bool(r) for r in batch.results])

    def _lost(self, reason: str) -> None:
        self._channel = None
        pending, self._pending = self._pending, {}
        for batch, index in pending.values():
            self._resolve(batch, index, False)
        self._on_lost(reason)
