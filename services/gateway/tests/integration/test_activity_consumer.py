"""The activity consumer on the real broker and database: every event of the classroom.activity stream stored once,
whether a batch is delivered twice, read again from an older offset, or the consumer is killed mid-batch."""

import os
import signal
import subprocess
import sys
import tempfile
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pika
import psycopg
import pytest

from gateway.classroom.activity_consumer import ActivityConsumer, ActivityConsumerSettings
from gateway.classroom.activity_rules import new_event_id
from shared.amqp.topology import declare, work_queues
from shared.messages.classroom import ActivityLogged
from shared.testing import wait_until

STREAM = "classroom.activity"


@pytest.fixture(scope="module")
def broker(amqp_url):
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    declare(conn.channel(), work_queues())
    channel = conn.channel()
    channel.confirm_delivery()
    yield channel
    conn.close()


@pytest.fixture
def dsn(database_url):
    return database_url.replace("+psycopg", "")


@pytest.fixture
def settings(gateway_settings):
    """A reader of its own per test: its offset and lock are nobody else's."""
    return ActivityConsumerSettings(
        **gateway_settings.model_dump(exclude={"activity_reader", "activity_flush_ms"}),
        _env_file=None,
        activity_reader=f"test-{uuid.uuid4().hex[:8]}",
        activity_flush_ms=50,
    )


def batch(size: int, participant_id: str | None = None, step_id: str | None = None) -> ActivityLogged:
    now = datetime.now(UTC).isoformat()
    event = {"event_type": "VIEW_CLICKED", "occurred_at": now, "x": 1, "y": 2}
    event |= {"participant_id": participant_id, "step_id": step_id, "session_id": participant_id}
    events = [event | {"event_id": str(new_event_id()), "text": f"#{n}"} for n in range(size)]
    return ActivityLogged(batch_id=str(uuid.uuid4()), received_at=now, events=events)


def publish(channel, *batches: ActivityLogged) -> None:
    for message in batches:
        channel.basic_publish("events", "activity.logged", message.to_json(), mandatory=True)


def publish_steadily(amqp_url: str, batches: list[ActivityLogged], per_second: float = 50.0) -> threading.Thread:
    """Publish on a thread and a connection of its own, a batch every 1/per_second s, so a consumer killed once
    the first are stored is killed mid-stream however fast it runs (all at once, a loaded machine's test saw
    every event stored before it could kill)."""

    def run() -> None:
        conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
        try:
            channel = conn.channel()
            for message in batches:
                publish(channel, message)
                conn.sleep(1 / per_second)
        finally:
            conn.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def stored(dsn: str, batches: list[ActivityLogged]) -> dict[str, int]:
    """event_id -> how many rows hold it, for the events of these batches."""
    ids = [e["event_id"] for b in batches for e in b.events if e["event_id"] != "not a uuid"]
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT event_id::text, count(*) FROM activity_logs WHERE event_id = ANY(%s::uuid[]) GROUP BY 1", (ids,)
        ).fetchall()
    return dict(rows)


def next_offset(dsn: str, reader: str) -> int | None:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            "SELECT next_offset FROM stream_offsets WHERE stream = %s AND reader = %s", (STREAM, reader)
        ).fetchone()
    return row and row[0]


class Running:
    """The consumer on a thread of the test."""

    def __init__(self, settings):
        self.consumer = ActivityConsumer(settings)
        self.thread = threading.Thread(target=self.consumer.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self.consumer

    def __exit__(self, *exc):
        self.consumer.stop()
        self.thread.join(timeout=15)
        assert not self.thread.is_alive()


def all_once(dsn, batches) -> bool:
    counts = stored(dsn, batches)
    return len(counts) == sum(len(b.events) for b in batches) and set(counts.values()) == {1}


def totals(dsn: str, participant_id: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "SELECT step_id::text, events FROM activity_step_totals WHERE participant_id = %s ORDER BY events",
            (participant_id,),
        ).fetchall()


def test_batches_are_stored_once_each_even_delivered_twice_or_replayed_from_an_older_offset(broker, dsn, settings):
    learner, step, other_step = (str(uuid.uuid4()) for _ in range(3))
    first, second = batch(3, learner, step), batch(2, learner, other_step)
    publish(broker, first, second, first)  # the first batch a second time, as a redelivery would bring it
    with Running(settings):
        assert wait_until(lambda: all_once(dsn, [first, second]), timeout=20)
        end = wait_until(lambda: next_offset(dsn, settings.activity_reader), timeout=10)
    assert end and all_once(dsn, [first, second])
    with psycopg.connect(dsn, autocommit=True) as conn:  # back to an older offset: the stream is read again
        conn.execute("UPDATE stream_offsets SET next_offset = 0 WHERE reader = %s", (settings.activity_reader,))
    third = batch(4)
    publish(broker, third)
    with Running(settings) as consumer:
        assert wait_until(lambda: all_once(dsn, [third]), timeout=20)
        assert wait_until(lambda: (next_offset(dsn, settings.activity_reader) or 0) > end, timeout=10)
    assert consumer.read >= 4 and all_once(dsn, [first, second, third])
    assert totals(dsn, learner) == [(other_step, 2), (step, 3)]  # each event counted once, however often read


def test_what_cannot_be_stored_is_passed_over_and_the_rest_stored(broker, dsn, settings):
    good, odd = batch(2), batch(3)
    odd.events[1]["x"] = "left"  # a stream takes anyone's publish
    odd.events[2]["event_id"] = "not a uuid"
    broker.basic_publish("events", "activity.logged", b"not json", mandatory=True)
    publish(broker, odd, good)
    with Running(settings):
        assert wait_until(lambda: all_once(dsn, [good]), timeout=20)
    assert set(stored(dsn, [odd])) == {odd.events[0]["event_id"]}


def test_a_standby_replica_takes_over_when_the_reader_stops(broker, dsn, settings):
    with Running(settings) as first:
        assert wait_until(lambda: next_offset(dsn, settings.activity_reader) is not None or first.read, timeout=20)
        with Running(settings) as second:
            later = batch(2)
            publish(broker, later)
            assert wait_until(lambda: all_once(dsn, [later]), timeout=20)
            assert second.read == 0  # it stood by: one replica reads at a time
    last = batch(2)
    publish(broker, last)
    with Running(settings):
        assert wait_until(lambda: all_once(dsn, [last]), timeout=20)


def _start(settings, workdir: str) -> subprocess.Popen:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": settings.database_url,
        "AMQP_URL": settings.amqp_url,
        "ACTIVITY_READER": settings.activity_reader,
        "ACTIVITY_BATCH_EVENTS": "3000",
        "ACTIVITY_FLUSH_MS": "200",
        "LOG_LEVEL": "INFO",
    }
    log = open(Path(workdir) / "consumer.log", "ab")  # noqa: SIM115 - lives as long as the process
    command = [sys.executable, "-m", "gateway.classroom.activity_consumer"]
    return subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=log)


def test_killed_mid_batch_and_restarted_it_stores_everything_once(broker, dsn, settings):
    batches = [batch(100) for _ in range(150)]
    workdir = tempfile.mkdtemp(prefix="activity-consumer-")
    process = _start(settings, workdir)
    try:
        log = Path(workdir) / "consumer.log"
        assert wait_until(lambda: "reading classroom.activity" in log.read_text() or process.poll() is not None, 30)
        assert process.poll() is None, log.read_text()
        publisher = publish_steadily(settings.amqp_url, batches)
        assert wait_until(lambda: stored(dsn, batches), timeout=30, interval=0.005)  # the first batches are in
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        partly = len(stored(dsn, batches))
        assert 0 < partly < 15_000, "killed before or after it all: nothing mid-batch was tested"
        process = _start(settings, workdir)
        publisher.join(60)
        assert wait_until(lambda: all_once(dsn, batches), timeout=60), (Path(workdir) / "consumer.log").read_text()
    finally:
        if process.poll() is None:  # a failure above is not hidden by one of stopping a killed process
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=15) == 0 or process.returncode == -signal.SIGTERM
    assert all_once(dsn, batches)
