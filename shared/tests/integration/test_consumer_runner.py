"""The consumer runner on the real broker: acks, the retry ladder, dead-lettering, deferred acks, heartbeats."""

import json
import threading
import time
import uuid
from concurrent.futures import Future

import pika
import pytest

from shared.amqp.connection import connection_parameters
from shared.amqp.consumer import ConsumerRunner
from shared.amqp.outcomes import Ack, DeadLetter, Retry
from shared.amqp.redrive import redrive
from shared.amqp.topology import WorkQueue, declare
from shared.testing import wait_until


@pytest.fixture
def queue(amqp_url):
    """A work queue of this test's own, with a fast retry ladder (200 ms, 400 ms)."""
    wq = WorkQueue(f"test-{uuid.uuid4().hex[:8]}.work", "jobs", ("test.run",), (200, 400))
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    declare(conn.channel(), [wq])
    yield wq
    channel = conn.channel()
    for name, _ in wq.queues():
        channel.queue_delete(name)
    conn.close()


def publish(amqp_url: str, wq: WorkQueue, body: dict) -> str:
    message_id = uuid.uuid4().hex
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    channel.confirm_delivery()
    props = pika.BasicProperties(message_id=message_id, delivery_mode=2, content_type="application/json")
    channel.basic_publish(wq.exchange, wq.routing_keys[0], json.dumps(body).encode(), props)
    conn.close()
    return message_id


def depth(amqp_url: str, name: str) -> int:
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    count = conn.channel().queue_declare(name, passive=True).method.message_count
    conn.close()
    return count


class Recorder:
    """A handler whose answers are scripted per attempt, recording what it saw."""

    def __init__(self, decide):
        self.decide = decide
        self.seen = []
        self.threads = set()

    def __call__(self, delivery):
        self.seen.append(delivery)
        self.threads.add(threading.current_thread().name)
        return self.decide(delivery)


def running(amqp_url, wq, handler, heartbeat: int = 30):
    runner = ConsumerRunner(connection_parameters(amqp_url, "test-consumer", heartbeat), wq, handler, prefetch=4)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    assert runner.consuming.wait(10)
    return runner, thread


def stop(runner, thread):
    runner.stop()
    thread.join(10)


def test_ack_removes_the_message_and_the_handler_runs_off_the_io_thread(amqp_url, queue):
    handler = Recorder(lambda d: Ack())
    runner, thread = running(amqp_url, queue, handler)
    message_id = publish(amqp_url, queue, {"n": 1})
    assert wait_until(lambda: handler.seen)
    stop(runner, thread)
    assert handler.seen[0].message_id == message_id and handler.seen[0].attempt == 1
    assert all(name.startswith("handler") for name in handler.threads)
    assert depth(amqp_url, queue.name) == 0


def test_retries_back_off_through_the_ladder_then_dead_letter(amqp_url, queue):
    handler = Recorder(lambda d: Retry("flaky"))
    runner, thread = running(amqp_url, queue, handler)
    publish(amqp_url, queue, {"n": 2})
    assert wait_until(lambda: depth(amqp_url, queue.dead_name) == 1)
    stop(runner, thread)
    assert [d.attempt for d in handler.seen] == [1, 2, 3]
    assert all(d.is_last_attempt == (d.attempt == 3) for d in handler.seen)
    assert len({d.message_id for d in handler.seen}) == 1


def test_dead_letter_goes_straight_to_the_dead_queue_and_can_be_redriven(amqp_url, queue):
    handler = Recorder(lambda d: DeadLetter("poison") if len(handler.seen) == 1 else Ack())
    runner, thread = running(amqp_url, queue, handler)
    publish(amqp_url, queue, {"n": 3})
    assert wait_until(lambda: depth(amqp_url, queue.dead_name) == 1)
    assert len(handler.seen) == 1
    assert redrive(amqp_url, queue.name) == 1
    assert wait_until(lambda: len(handler.seen) == 2)
    stop(runner, thread)
    assert handler.seen[1].attempt == 1 and depth(amqp_url, queue.dead_name) == 0


def test_a_future_outcome_holds_the_ack_until_it_resolves(amqp_url, queue):
    pending: Future = Future()
    handler = Recorder(lambda d: pending)
    runner, thread = running(amqp_url, queue, handler)
    publish(amqp_url, queue, {"n": 4})
    assert wait_until(lambda: handler.seen)
    time.sleep(0.3)
    pending.set_result(Ack())
    time.sleep(0.3)
    stop(runner, thread)
    assert len(handler.seen) == 1 and depth(amqp_url, queue.name) == 0


def test_an_unacked_message_is_redelivered_after_the_consumer_dies(amqp_url, queue):
    never: Future = Future()
    first = Recorder(lambda d: never)
    runner, thread = running(amqp_url, queue, first)
    publish(amqp_url, queue, {"n": 5})
    assert wait_until(lambda: first.seen)
    stop(runner, thread)
    second = Recorder(lambda d: Ack())
    runner, thread = running(amqp_url, queue, second)
    assert wait_until(lambda: second.seen)
    stop(runner, thread)
    assert second.seen[0].redelivered and second.seen[0].delivery_count >= 1


def test_acks_settled_together_never_cover_an_older_message_still_in_flight(amqp_url, queue):
    never: Future = Future()
    handler = Recorder(lambda d: never if json.loads(d.body)["n"] == 0 else Ack())
    runner, thread = running(amqp_url, queue, handler)  # prefetch 4: the first stays in flight, three settle
    first = publish(amqp_url, queue, {"n": 0})
    for n in range(1, 4):
        publish(amqp_url, queue, {"n": n})
    assert wait_until(lambda: len(handler.seen) == 4)
    time.sleep(0.3)
    stop(runner, thread)
    assert depth(amqp_url, queue.name) == 1, "an ack of a later message took the one in flight with it"
    again = Recorder(lambda d: Ack())
    runner, thread = running(amqp_url, queue, again)
    assert wait_until(lambda: again.seen)
    stop(runner, thread)
    assert [d.message_id for d in again.seen] == [first] and depth(amqp_url, queue.name) == 0


def test_many_outcomes_at_once_are_all_settled(amqp_url, queue):
    release: Future = Future()
    handler = Recorder(lambda d: release)  # every message waits on one Future, then all settle together
    runner, thread = running(amqp_url, queue, handler)
    for n in range(4):
        publish(amqp_url, queue, {"n": n})
    assert wait_until(lambda: len(handler.seen) == 4)
    release.set_result(Ack())
    for n in range(4, 12):
        publish(amqp_url, queue, {"n": n})
    assert wait_until(lambda: len(handler.seen) == 12 and depth(amqp_url, queue.name) == 0)
    time.sleep(0.3)
    stop(runner, thread)
    assert depth(amqp_url, queue.name) == 0 and len(handler.seen) == 12


def test_a_crashing_handler_is_retried(amqp_url, queue):
    def decide(delivery):
        if delivery.attempt == 1:
            raise RuntimeError("bug")
        return Ack()

    handler = Recorder(decide)
    runner, thread = running(amqp_url, queue, handler)
    publish(amqp_url, queue, {"n": 6})
    assert wait_until(lambda: len(handler.seen) == 2)
    stop(runner, thread)
    assert depth(amqp_url, queue.dead_name) == 0


def test_heartbeats_survive_a_handler_slower_than_the_heartbeat(amqp_url, queue):
    def slow(delivery):
        time.sleep(7)
        return Ack()

    handler = Recorder(slow)
    runner, thread = running(amqp_url, queue, handler, heartbeat=2)
    publish(amqp_url, queue, {"n": 7})
    assert wait_until(lambda: handler.seen)
    time.sleep(7.5)
    stop(runner, thread)
    assert len(handler.seen) == 1, "the connection dropped and the message came back"
    assert depth(amqp_url, queue.name) == 0


def test_a_retry_with_its_retry_queue_missing_is_dead_lettered_and_consuming_goes_on(amqp_url, queue):
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    conn.channel().queue_delete(queue.retry_name(1))
    conn.close()
    handler = Recorder(lambda d: Retry("flaky") if len(handler.seen) == 1 else Ack())
    runner, thread = running(amqp_url, queue, handler)
    publish(amqp_url, queue, {"n": 8})
    assert wait_until(lambda: depth(amqp_url, queue.dead_name) == 1)
    publish(amqp_url, queue, {"n": 9})
    assert wait_until(lambda: len(handler.seen) == 2), "the consumer died"
    stop(runner, thread)


def test_an_empty_queue_declared_with_old_arguments_is_replaced_and_a_full_one_is_kept(amqp_url):
    """An upgrade that changes a queue's arguments: empty -> redeclared; holding messages -> a clear error."""
    import pika
    import pytest

    from shared.amqp.topology import QueueArgumentsChanged, declare, notifier_events

    queue = notifier_events()
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    for name, _ in queue.queues():
        channel.queue_delete(name)
    channel.queue_declare(queue.name, durable=True, arguments={"x-queue-type": "quorum"})  # the old arguments
    declare(connection.channel(), [queue], delays=[])
    assert (
        pika.BlockingConnection(pika.URLParameters(amqp_url))
        .channel()
        .queue_declare(queue.name, durable=True, arguments=dict(queue.queues())[queue.name])
    )
    channel = connection.channel()
    channel.queue_delete(queue.name)
    channel.queue_declare(queue.name, durable=True, arguments={"x-queue-type": "quorum"})
    channel.basic_publish("", queue.name, b"keep me")
    with pytest.raises(QueueArgumentsChanged, match="still holds 1 messages"):
        declare(connection.channel(), [queue], delays=[])
    connection.channel().queue_delete(queue.name)
    declare(connection.channel(), [queue], delays=[])
    connection.close()
