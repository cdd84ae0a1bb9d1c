"""The classroom consumer on the real broker: a fresh queue, and a signature-checking stand-in for the gateway's
POST /api/webhooks/classroom (the careers receiver on the classroom's path, taking ClassroomEvents)."""

import contextlib
from collections.abc import Iterator

import pika

from shared.amqp.topology import ensure_declared, llm_worker_classroom
from shared.messages.classroom import ClassroomEvent
from support.careers_broker import FAST_RETRIES
from support.careers_receiver import CareersReceiver, start_careers_receiver

CLASSROOM = llm_worker_classroom(FAST_RETRIES)


def declare_fresh(amqp_url: str) -> None:
    """Declare the topology with the fast ladder and empty the classroom queues of earlier tests."""
    assert ensure_declared(amqp_url, list(FAST_RETRIES), "classroom-tests")
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    for name, _ in CLASSROOM.queues():
        channel.queue_purge(name)
    conn.close()


@contextlib.contextmanager
def start_classroom_receiver(secret: str) -> Iterator[CareersReceiver]:
    with start_careers_receiver(secret, path="/api/webhooks/classroom", event_class=ClassroomEvent) as receiver:
        yield receiver
