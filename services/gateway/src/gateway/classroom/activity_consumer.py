"""`python -m gateway.classroom.activity_consumer`: store the classroom.activity stream's events, in batches, once each.

A stream keeps no place for its readers: this one keeps its own (stream_offsets) in the transaction that stores
the events, and subscribes from there, so a restart or a crash mid-batch resumes where the last stored batch
ended, and whatever is read again is stored nothing twice (unique event_id). Deliveries are gathered until
ACTIVITY_BATCH_EVENTS wait or the oldest has waited ACTIVITY_FLUSH_MS, stored in one transaction (COPY) by the
writer's thread while the next batch is read, then acked at once (a stream's acks only make room for more
deliveries). One replica reads at a time (a Postgres advisory lock); the others stand by and take over when its
connection ends.
"""

import contextlib
import logging
import signal
import time
from datetime import datetime

import orjson
import pika
import pika.exceptions
import psycopg
from pydantic import Field

from gateway.classroom import activity_rules as rules
from gateway.classroom.activity_log_store import ActivityLogStore
from gateway.classroom.activity_writer import BatchWriter
from gateway.settings import GatewaySettings
from shared.amqp.connection import connection_parameters
from shared.amqp.topology import classroom_activity, ensure_declared
from shared.logging import configure_logging
from shared.messages.base import MessageError
from shared.messages.classroom import ActivityLogged

log = logging.getLogger("gateway.activity_consumer")
STANDBY_SECONDS = 5.0


class ActivityConsumerSettings(GatewaySettings):
    activity_batch_events: int = Field(5000, ge=1, description="Store once this many events wait")
    activity_flush_ms: int = Field(200, ge=1, description="...or once the oldest has waited this long")
    activity_prefetch: int = Field(200, ge=1, description="Stream messages (batches) in flight to the consumer")
    activity_reader: str = Field("activity-store", description="This reader's name in stream_offsets")


class ActivityConsumer:
    """Reads classroom.activity from its stored offset and stores what it reads, until stopped."""

    def __init__(self, settings: ActivityConsumerSettings, store: ActivityLogStore | None = None):
        self._settings = settings
        self.stream = classroom_activity().name
        self._store = store or ActivityLogStore(settings.psycopg_dsn, self.stream, settings.activity_reader)
        self._stopping = False
        self._read: list[tuple[int, list[tuple]]] = []  # (offset, rows) of each message read and not yet stored
        self._waiting = 0  # events in self._read
        self._next: int | None = None  # the offset after the last message read (stored or waiting)
        self._last_tag: int | None = None
        self._oldest: float | None = None
        self.stored = 0  # events newly stored by this process
        self.read = 0  # messages read by this process

    def run(self) -> None:
        """Lead or stand by, then consume; reconnect to either side with back-off until stop()."""
        backoff = 0.5
        while not self._stopping:
            try:
                self._store.open()
                if self._store.lead():
                    self._consume()
                    backoff = 0.5
                else:
                    log.info("another replica reads %s; standing by", self.stream)
                    self._sleep(STANDBY_SECONDS)
                    backoff = 0.5
            except psycopg.OperationalError as exc:
                log.warning("database unavailable (%s); retrying in %.1fs", exc, backoff)
            except (pika.exceptions.AMQPError, OSError) as exc:
                log.warning("RabbitMQ unavailable (%r); retrying in %.1fs", exc, backoff)
            finally:
                self._store.close()
                self._forget()  # what was not stored is read again from the stored offset
            if not self._stopping:
                self._sleep(backoff)
                backoff = min(backoff * 2, 15)

    def stop(self) -> None:
        self._stopping = True

    def _consume(self) -> None:
        s = self._settings
        self._next = self._store.next_offset()
        connection = pika.BlockingConnection(connection_parameters(s.amqp_url, "activity-consumer", s.amqp_heartbeat))
        writer = BatchWriter(self._store, connection.add_callback_threadsafe)
        writer.start()
        try:
            channel = connection.channel()
            channel.basic_qos(prefetch_count=s.activity_prefetch)
            start = "first" if self._next is None else self._next
            channel.basic_consume(self.stream, self._on_message, arguments={"x-stream-offset": start})
            log.info("reading %s from offset %s", self.stream, start)
            while not self._stopping:
                connection.process_data_events(time_limit=self._wait(writer))
                writer.check()
                if self._due() and writer.has_room():  # else the prefetch holds the stream back meanwhile
                    self._hand_over(writer, channel)
            self._hand_over(writer, channel)
            writer.finish()
            writer.check()
            connection.process_data_events(time_limit=0)  # the last acks
        finally:
            writer.finish()
            self.stored += writer.stored
            # pika rejects undelivered messages when it cancels, and a stream refuses rejects by closing the
            # connection: what was not stored is read again from the offset anyway
            with contextlib.suppress(pika.exceptions.AMQPError, OSError):
                connection.close()

    def _on_message(self, channel, method, properties, body: bytes) -> None:
        offset = (properties.headers or {}).get("x-stream-offset")
        self._last_tag = method.delivery_tag
        if offset is None or (self._next is not None and offset < self._next):
            return  # a stream starts at its chunk's first message: those before the offset are stored already
        self._next = offset + 1
        self.read += 1
        if self._oldest is None:
            self._oldest = time.monotonic()
        rows = _rows_of(body, offset)
        self._read.append((offset, rows))
        self._waiting += len(rows)

    def _wait(self, writer: BatchWriter) -> float:
        """How long the ioloop may block: until the oldest message read is due, or a moment while the writer is busy."""
        if self._oldest is None:
            return 0.5
        left = self._oldest + self._settings.activity_flush_ms / 1000 - time.monotonic()
        return left if left > 0 else 0.0 if writer.has_room() else 0.02

    def _due(self) -> bool:
        if self._oldest is None:
            return False
        late = time.monotonic() - self._oldest >= self._settings.activity_flush_ms / 1000
        return late or self._waiting >= self._settings.activity_batch_events

    def _hand_over(self, writer: BatchWriter, channel) -> None:
        """The messages read so far to the writer, with their ack for once they are stored."""
        if self._last_tag is None:
            return
        tag = self._last_tag
        writer.hand_over(self._read, self._next, lambda: channel.basic_ack(tag, multiple=True))
        self._forget()

    def _forget(self) -> None:
        self._read, self._waiting, self._last_tag, self._oldest = [], 0, None, None

    def _sleep(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self._stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, deadline - time.monotonic()))


def _rows_of(body: bytes, offset: int) -> list[tuple]:
    """The rows of one message; what cannot be stored is logged and left out (a stream has no dead letters)."""
    try:
        batch = ActivityLogged.from_dict(orjson.loads(body))
        received_at = datetime.fromisoformat(batch.received_at)
        events = list(batch.events)
    except (MessageError, orjson.JSONDecodeError, ValueError, TypeError) as exc:
        log.warning("offset %s: not an ActivityLogged (%s); skipped", offset, exc)
        return []
    rows = []
    for index, event in enumerate(events):
        try:
            rows.append(rules.stored_row(event, received_at))
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            log.warning("offset %s, event %d: cannot be stored (%r); skipped", offset, index, exc)
    return rows


def main() -> None:
    settings = ActivityConsumerSettings()
    configure_logging(settings.log_level, "activity-consumer")
    ensure_declared(settings.amqp_url, settings.retry_delays_ms, "activity-consumer-setup")
    consumer = ActivityConsumer(settings)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: consumer.stop())
    consumer.run()


if __name__ == "__main__":
    main()
