"""The streams' part of /api/health/detailed: each stream there, where its end is, how far each reader lags.

A stream's end is not in queue.declare-ok (its message and consumer counts read 0): it is the offset of the last
message, read by subscribing at "last" for a moment. A reader's lag is the messages after its stored offset (each
an accepted batch of up to 500 events).
"""

import contextlib
import time
from datetime import UTC, datetime

import pika
from sqlalchemy import text

from gateway.platform.db import Database
from gateway.settings import GatewaySettings
from shared.amqp.connection import connection_parameters
from shared.amqp.topology import stream_queues

LAG_WARNING_MESSAGES = 1_000
READERS = "SELECT stream, reader, next_offset, EXTRACT(EPOCH FROM now() - updated_at) FROM stream_offsets"


def stream_health(db: Database, settings: GatewaySettings) -> dict:
    """Each stream's state (degraded: missing, unread, or a reader far behind), its end, its readers' lag."""
    with db.engine.connect() as conn:
        readers = conn.execute(text(READERS)).all()
    params = connection_parameters(settings.amqp_url, "gateway-health", heartbeat=0)
    params.socket_timeout = 2
    connection = pika.BlockingConnection(params)
    try:
        streams = [
            _stream(connection, stream.name, [r for r in readers if r[0] == stream.name]) for stream in stream_queues()
        ]
    finally:
        with contextlib.suppress(pika.exceptions.AMQPError, OSError):  # a stream refuses pika's rejects on close
            connection.close()
    degraded = any(s["state"] != "ok" for s in streams)
    return {"state": "degraded" if degraded else "ok", "streams": streams}


def _stream(connection, name: str, readers: list) -> dict:
    try:
        connection.channel().queue_declare(name, passive=True)
    except pika.exceptions.ChannelClosedByBroker:
        return {"name": name, "state": "degraded", "error": "stream missing"}
    last = _last_offset(connection, name)
    lags = [
        {
            "reader": reader,
            "next_offset": next_offset,
            "lag_messages": 0 if last is None else max(0, last + 1 - next_offset),
            "stored_seconds_ago": round(float(age), 1),
        }
        for _, reader, next_offset, age in readers
    ]
    unread = last is not None and not lags
    behind = any(r["lag_messages"] > LAG_WARNING_MESSAGES for r in lags)
    return {
        "name": name,
        "state": "degraded" if unread or behind else "ok",
        "last_offset": last,
        "readers": lags,
        "checked_at": datetime.now(UTC).isoformat(),
    }


def _last_offset(connection, name: str, wait: float = 0.5) -> int | None:
    """The offset of the stream's last message (None: it is empty), read from its last chunk."""
    channel = connection.channel()
    channel.basic_qos(prefetch_count=1000)
    offsets: list[int] = []
    channel.basic_consume(
        name,
        lambda *delivery: offsets.append(delivery[2].headers["x-stream-offset"]),
        arguments={"x-stream-offset": "last"},
    )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        seen = len(offsets)
        connection.process_data_events(time_limit=0.05)
        if offsets and len(offsets) == seen:
            break  # the last chunk is in
    return max(offsets, default=None)
