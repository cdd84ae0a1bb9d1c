"""Dependency checks for /api/health/detailed."""

import time

import pika
from sqlalchemy import text

from gateway.platform.db import Database
from gateway.platform.stream_health import stream_health
from gateway.settings import GatewaySettings
from shared.amqp.connection import connection_parameters
from shared.amqp.topology import UNROUTABLE_QUEUE, work_queues

OUTBOX_LAG_WARNING_SECONDS = 30


def detailed_health(db: Database, settings: GatewaySettings) -> dict:
    """Each check with its state (ok, degraded, down) and the worst as the overall status."""
    checks = {"postgres": _postgres(db), "outbox": _outbox(db), "rabbitmq": _rabbitmq(settings)}
    checks["streams"] = _timed(lambda: stream_health(db, settings))
    states = {c["state"] for c in checks.values()}
    overall = "down" if "down" in states else "degraded" if "degraded" in states else "ok"
    return {"status": overall, "checks": checks}


def _timed(fn):
    start = time.perf_counter()
    try:
        result = fn()
    except Exception as exc:  # noqa: BLE001 - a health check reports, never raises
        return {"state": "down", "error": f"{type(exc).__name__}: {exc}"[:300]}
    result["latency_ms"] = round((time.perf_counter() - start) * 1000, 1)
    return result


def _postgres(db: Database) -> dict:
    def check():
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"state": "ok"}

    return _timed(check)


def _outbox(db: Database) -> dict:
    def check():
        with db.engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT count(*), EXTRACT(EPOCH FROM now() - min(created_at)) "
                    "FROM outbox WHERE published_at IS NULL"
                )
            ).one()
        pending, oldest = row[0], float(row[1] or 0)
        state = "degraded" if oldest > OUTBOX_LAG_WARNING_SECONDS else "ok"
        return {"state": state, "pending": pending, "oldest_pending_seconds": round(oldest, 1)}

    return _timed(check)


def _rabbitmq(settings: GatewaySettings) -> dict:
    def check():
        params = connection_parameters(settings.amqp_url, "gateway-health", heartbeat=0)
        params.socket_timeout = 2
        conn = pika.BlockingConnection(params)
        try:
            queues = []
            names = [UNROUTABLE_QUEUE]
            for wq in work_queues(tuple(settings.retry_delays_ms)):
                names += [name for name, _ in wq.queues()]
            for name in names:
                queues.append(_queue_depth(conn, name))
        finally:
            conn.close()
        degraded = any(q["state"] != "ok" for q in queues)
        return {"state": "degraded" if degraded else "ok", "queues": queues}

    return _timed(check)


def _queue_depth(conn, name: str) -> dict:
    channel = conn.channel()
    try:
        frame = channel.queue_declare(name, passive=True)
    except pika.exceptions.ChannelClosedByBroker:
        return {"name": name, "state": "degraded", "error": "queue missing"}
    messages, consumers = frame.method.message_count, frame.method.consumer_count
    state = "ok"
    if (name.endswith(".dead") or name == UNROUTABLE_QUEUE) and messages:
        state = "degraded"
    channel.close()
    return {"name": name, "state": state, "messages": messages, "consumers": consumers}
