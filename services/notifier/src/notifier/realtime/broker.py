"""This replica's own queue on the `events` exchange, consumed on a thread and handed to the event loop.

The queue is classic, exclusive and auto-delete (named after the host, the
process and a random suffix), so it lives exactly as long as this replica's
connection and every replica sees every event, every revocation
(SessionRevoked, AccountClosed) and every classroom SessionEvent. A message is
acked once the event loop has handled it; after a reconnect the server sweeps
the streams of its users and the logs of its sessions, and checks its
connections against the revocations, so nothing published while the queue was
gone is missed.
"""

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import threading
from collections.abc import Awaitable, Callable
from functools import partial

import pika
import pika.exceptions

from shared.messages import AccountClosed, DomainEvent, SessionRevoked
from shared.messages.base import Message, MessageError, decode
from shared.messages.classroom import SessionEvent
from shared.messages.events import EVENT_ROUTING_PATTERNS

log = logging.getLogger(__name__)
EXCHANGE = "events"
QUEUE_ARGUMENTS = {
    "x-queue-type": "classic",
    "x-message-ttl": 60_000,  # older than this, the stream (and the sweep) serves it better
    "x-max-length": 100_000,
    "x-overflow": "drop-head",
}
# By the AMQP `type` property; anything else on the exchange is a DomainEvent.
MESSAGE_TYPES = {message.TYPE: message for message in (SessionRevoked, AccountClosed, SessionEvent)}


def replica_queue_name() -> str:
    return f"notifier.realtime.{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


class RealtimeFeed:
    """Consumes the replica queue until stop(); reconnects with back-off."""

    def __init__(
        self,
        params: pika.ConnectionParameters,
        loop: asyncio.AbstractEventLoop,
        on_event: Callable[[Message], Awaitable[None]],
        on_connected: Callable[[], Awaitable[None]],
        prefetch: int = 256,
    ):
        self._params = params
        self._loop = loop
        self._on_event = on_event
        self._on_connected = on_connected
        self._prefetch = prefetch
        self._stopping = threading.Event()
        self.consuming = threading.Event()
        self.queue_name: str | None = None
        self._thread = threading.Thread(target=self.run, name="realtime-feed", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def run(self) -> None:
        backoff = 0.5
        while not self._stopping.is_set():
            try:
                self._consume_once()
                backoff = 0.5
            except (pika.exceptions.AMQPConnectionError, pika.exceptions.AMQPChannelError, OSError) as exc:
                self.consuming.clear()
                if self._stopping.is_set():
                    break
                log.warning("realtime feed lost the broker (%s); reconnecting in %.1fs", exc, backoff)
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, 15)

    def _consume_once(self) -> None:
        conn = pika.BlockingConnection(self._params)
        try:
            channel = conn.channel()
            channel.basic_qos(prefetch_count=self._prefetch)
            name = replica_queue_name()
            channel.queue_declare(name, durable=False, exclusive=True, auto_delete=True, arguments=QUEUE_ARGUMENTS)
            for pattern in EVENT_ROUTING_PATTERNS:
                channel.queue_bind(name, EXCHANGE, routing_key=pattern)
            channel.basic_consume(name, partial(self._on_message, conn))
            self.queue_name = name
            self.consuming.set()
            asyncio.run_coroutine_threadsafe(self._on_connected(), self._loop)
            log.info("realtime feed consuming %s", name)
            while not self._stopping.is_set() and conn.is_open:
                conn.process_data_events(time_limit=0.5)
        finally:
            self.consuming.clear()
            if conn.is_open:
                conn.close()

    def _on_message(self, conn, channel, method, props, body: bytes) -> None:
        ack = partial(channel.basic_ack, method.delivery_tag)
        try:
            message = decode(MESSAGE_TYPES.get(props.type or "", DomainEvent), body)
        except MessageError as exc:
            log.warning("realtime feed dropped a message it cannot read: %s", exc)
            ack()
            return
        if isinstance(message, DomainEvent) and not message.realtime:
            ack()
            return
        future = asyncio.run_coroutine_threadsafe(self._on_event(message), self._loop)
        label = _label(message)
        future.add_done_callback(partial(self._settle, conn, ack, label))

    def _settle(self, conn, ack, label: str, future) -> None:
        """Runs on the event loop's thread: log a failure, then ack on the connection's thread."""
        if not future.cancelled() and future.exception() is not None:
            log.warning("push of %s failed (the next sweep retries): %r", label, future.exception())
        with contextlib.suppress(Exception):  # the connection is gone, and the queue went with it
            conn.add_callback_threadsafe(ack)


def _label(message: Message) -> str:
    if isinstance(message, DomainEvent):
        return message.id
    if isinstance(message, SessionEvent):
        return f"session {message.session_id} event {message.seq}"
    return f"{message.TYPE} of user {message.user_id}"
