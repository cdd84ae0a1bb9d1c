"""The outbox relay against the real Postgres and RabbitMQ."""

import json
import threading
import time

import pika
import psycopg
import pytest

from gateway.jobs.service import submit_job
from gateway.platform.db import Database
from gateway.relay.relay import OutboxRelay
from gateway.settings import GatewaySettings
from shared.amqp.topology import ensure_declared
from shared.testing import wait_until

QUEUE = "llm-worker.jobs"


@pytest.fixture
def broker(amqp_url):
    ensure_declared(amqp_url, [1000, 5000, 30000], "test")
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    channel.queue_purge(QUEUE)
    yield channel
    channel.queue_purge(QUEUE)
    conn.close()


def relay_settings(database_url, amqp_url, **overrides) -> GatewaySettings:
    values = {"database_url": database_url, "amqp_url": amqp_url, "outbox_poll_interval_seconds": 60.0}
    return GatewaySettings(_env_file=None, **(values | overrides))


def start(settings):
    relay = OutboxRelay(settings)
    thread = threading.Thread(target=relay.run, daemon=True)
    thread.start()
    return relay, thread


def drain(channel) -> list[dict]:
    messages = []
    while True:
        method, props, body = channel.basic_get(QUEUE, auto_ack=True)
        if method is None:
            return messages
        messages.append(
            {
                "message_id": props.message_id,
                "type": props.type,
                "persistent": props.delivery_mode == 2,
                **json.loads(body),
            }
        )


def pending(dsn: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT count(*) FROM outbox WHERE published_at IS NULL").fetchone()[0]


def test_publishes_persistent_messages_then_marks_rows(database_url, amqp_url, broker, clean_tables):
    db = Database(database_url)
    job = submit_job(db.uow(), "Close the gate. Lock the door.")
    relay, thread = start(relay_settings(database_url, amqp_url))
    assert wait_until(lambda: pending(clean_tables) == 0)
    relay.stop()
    thread.join(10)
    [message] = drain(broker)
    assert message["job_id"] == str(job.id) and message["type"] == "RunJob" and message["persistent"]
    with psycopg.connect(clean_tables) as conn:
        row = conn.execute("SELECT message_id::text, attempts FROM outbox").fetchone()
    assert row == (message["message_id"], 0)


def test_notify_wakes_an_idle_relay_long_before_its_poll(database_url, amqp_url, broker, clean_tables):
    relay, thread = start(relay_settings(database_url, amqp_url, outbox_poll_interval_seconds=60.0))
    time.sleep(1.0)
    submit_job(Database(database_url).uow(), "Sign in. Sign out.")
    woke = wait_until(lambda: pending(clean_tables) == 0, timeout=10)
    relay.stop()
    thread.join(10)
    assert woke, "only a NOTIFY can explain publication inside the 60 s poll interval"


def test_an_idle_relay_claims_at_once_and_a_trickle_leaves_in_batches(database_url, amqp_url, broker, clean_tables):
    relay, thread = start(relay_settings(database_url, amqp_url, outbox_gather_ms=60_000))
    time.sleep(1.0)
    db = Database(database_url)
    submit_job(db.uow(), "The first after a quiet spell.")
    first = wait_until(lambda: pending(clean_tables) == 0, timeout=10)
    for i in range(10):  # ten commits, ten NOTIFYs, all inside the 60 s window the first claim opened
        submit_job(db.uow(), f"Rule number {i}. Follow it.")
    time.sleep(1.0)
    held = pending(clean_tables)
    relay.stop()
    thread.join(10)
    assert first, "an idle relay waited for its gather window"
    assert held == 10 and relay.claims == 1, "a NOTIFY inside the window claimed at once"


def test_two_relays_share_the_outbox_without_publishing_a_row_twice(database_url, amqp_url, broker, clean_tables):
    db = Database(database_url)
    for i in range(300):
        submit_job(db.uow(), f"Rule number {i}. Follow it.")
    settings = relay_settings(database_url, amqp_url, outbox_batch_size=20)
    relays = [start(settings), start(settings)]
    assert wait_until(lambda: pending(clean_tables) == 0)
    for relay, thread in relays:
        relay.stop()
        thread.join(10)
    messages = drain(broker)
    assert len(messages) == 300 and len({m["message_id"] for m in messages}) == 300
    assert all(relay.published > 0 for relay, _ in relays), "both replicas took a share"


def test_rows_wait_while_the_broker_is_unreachable(database_url, amqp_url, broker, clean_tables):
    db = Database(database_url)
    submit_job(db.uow(), "Keep calm. Carry on.")
    dead = relay_settings(database_url, "amqp://guest:guest@127.0.0.1:1/%2F")
    relay, thread = start(dead)
    time.sleep(1.5)
    assert pending(clean_tables) == 1
    relay.stop()
    thread.join(10)
    relay, thread = start(relay_settings(database_url, amqp_url))
    assert wait_until(lambda: pending(clean_tables) == 0)
    relay.stop()
    thread.join(10)
    assert len(drain(broker)) == 1
