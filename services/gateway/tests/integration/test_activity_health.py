"""/api/health/detailed covers the classroom: the classroom.activity stream (there, its end, each reader's lag) and
the llm-worker.classroom queues."""

import uuid

import pika
import psycopg
import pytest

from gateway.app import create_app
from shared.amqp.topology import ensure_declared

OPERATOR_TOKEN = "op_" + "activity" * 5
OPERATOR = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}


@pytest.fixture(scope="module")
def operated(gateway_settings):
    return create_app(gateway_settings.model_copy(update={"operator_token": OPERATOR_TOKEN})).test_client()


def _stream(report: dict) -> dict:
    [stream] = [s for s in report["checks"]["streams"]["streams"] if s["name"] == "classroom.activity"]
    return stream


def test_the_stream_its_end_and_a_readers_lag_are_reported(operated, amqp_url, database_url):
    ensure_declared(amqp_url, [1000, 5000, 30000], "test")
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    channel.confirm_delivery()
    for n in range(3):
        channel.basic_publish("events", "activity.logged", f"health {n}".encode(), mandatory=True)
    conn.close()
    before = _stream(operated.get("/api/health/detailed", headers=OPERATOR).json)
    assert before["last_offset"] >= 2
    reader = f"health-{uuid.uuid4().hex[:6]}"
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as db:
        db.execute(
            "INSERT INTO stream_offsets (stream, reader, next_offset, updated_at) VALUES ('classroom.activity', %s, 1, "
            "now())",
            (reader,),
        )
    report = operated.get("/api/health/detailed", headers=OPERATOR).json
    stream = _stream(report)
    [mine] = [r for r in stream["readers"] if r["reader"] == reader]
    assert mine["lag_messages"] == stream["last_offset"] and mine["next_offset"] == 1
    assert report["checks"]["streams"]["state"] in ("ok", "degraded")  # degraded only for a reader far behind
    queues = {q["name"] for q in report["checks"]["rabbitmq"]["queues"]}
    assert {"llm-worker.classroom", "llm-worker.classroom.dead", "llm-worker.classroom.retry.1s"} <= queues


def test_a_missing_stream_is_degraded_not_down(operated, amqp_url):
    ensure_declared(amqp_url, [1000, 5000, 30000], "test")
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    conn.channel().queue_delete("classroom.activity")
    conn.close()
    try:
        report = operated.get("/api/health/detailed", headers=OPERATOR).json
        assert report["checks"]["streams"]["state"] == "degraded"
        assert _stream(report) == {"name": "classroom.activity", "state": "degraded", "error": "stream missing"}
    finally:
        ensure_declared(amqp_url, [1000, 5000, 30000], "test")
