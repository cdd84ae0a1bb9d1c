"""The classroom.activity stream on a real broker: bound to events/activity.logged, read independently, replayable."""

import contextlib
import uuid

import pika
import pytest

from shared.amqp.topology import QueueArgumentsChanged, StreamQueue, classroom_activity, declare, work_queues


def _read(amqp_url, offset, wanted: int = 10_000) -> list[tuple[int, bytes]]:
    """(offset, body) of the first `wanted` messages from `offset` (or all there are), on a connection of its own.

    A stream takes no reject, and pika rejects what it holds undelivered when a consumer is cancelled: the broker
    answers by closing the connection, so each reader has its own.
    """
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    channel.basic_qos(prefetch_count=50)  # a stream consumer must set one
    got = []

    def on_message(ch, method, properties, body):
        got.append((properties.headers["x-stream-offset"], body))
        ch.basic_ack(method.delivery_tag)

    channel.basic_consume("classroom.activity", on_message, arguments={"x-stream-offset": offset})
    for _ in range(50):
        seen = len(got)
        connection.process_data_events(time_limit=0.2)
        if len(got) >= wanted or len(got) == seen:
            break
    with contextlib.suppress(pika.exceptions.AMQPError):
        connection.close()
    return got[:wanted]


@pytest.fixture
def connection(amqp_url):
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    declare(conn.channel(), work_queues())
    yield conn
    conn.close()


def test_activity_logged_lands_in_the_stream_and_every_reader_replays_it_from_any_offset(connection, amqp_url):
    channel = connection.channel()
    channel.confirm_delivery()
    mine = [f"{uuid.uuid4()} batch {n}".encode() for n in range(5)]  # other tests of the run may write here too
    for body in mine:
        channel.basic_publish("events", "activity.logged", body, mandatory=True)
    everything = _read(amqp_url, "first")
    offsets = [offset for offset, body in everything if body in mine]
    assert [body for _, body in everything if body in mine] == mine
    assert offsets == sorted(offsets)
    again = _read(amqp_url, offsets[2], 3)  # another reader, from an offset of its own: the same messages again
    assert [body for _, body in again] == mine[2:]
    assert [body for _, body in _read(amqp_url, offsets[2], 3)] == mine[2:]


def test_declaring_again_is_idempotent_and_other_retention_is_refused_not_applied(connection):
    declare(connection.channel(), work_queues())
    narrower = StreamQueue(classroom_activity().name, "events", ("activity.logged",), max_age="1h")
    with pytest.raises(QueueArgumentsChanged, match=r"classroom\.activity"):
        declare(connection.channel(), work_queues(), streams=[narrower])
    state = connection.channel().queue_declare("classroom.activity", passive=True)  # still there, still a stream
    assert state.method.queue == "classroom.activity"
