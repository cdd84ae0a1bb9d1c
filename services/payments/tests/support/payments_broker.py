"""Test helpers on the real broker: publish payment messages, read the `.dead` queue, run the service."""

import contextlib
import threading
import uuid
from collections.abc import Iterator

import pika

from payments.bootstrap import Service
from payments.settings import PaymentsSettings
from shared.amqp.topology import ensure_declared, payments_charges
from shared.messages.base import Message

FAST_RETRIES = (200, 400, 800)
QUEUE = payments_charges(FAST_RETRIES)


def declare_fresh(amqp_url: str) -> None:
    """Declare the topology with the fast ladder, and empty the payments queues of earlier tests."""
    assert ensure_declared(amqp_url, list(FAST_RETRIES), "payments-tests")
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    for name, _ in QUEUE.queues():
        channel.queue_purge(name)
    conn.close()


def publish(amqp_url: str, message: Message, message_id: str | None = None, body: bytes | None = None) -> str:
    """Publish like the gateway's relay does (persistent, typed, with a message id), confirmed."""
    message_id = message_id or uuid.uuid4().hex
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    channel.confirm_delivery()
    props = pika.BasicProperties(
        content_type="application/json",
        delivery_mode=pika.DeliveryMode.Persistent,
        message_id=message_id,
        type=message.TYPE,
    )
    channel.basic_publish(message.EXCHANGE, message.ROUTING_KEY, message.to_json() if body is None else body, props)
    conn.close()
    return message_id


def depth(amqp_url: str, name: str) -> int:
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    count = conn.channel().queue_declare(name, passive=True).method.message_count
    conn.close()
    return count


def take_dead(amqp_url: str) -> list[tuple[pika.BasicProperties, bytes]]:
    """Remove and return every message waiting in `payments.charges.dead`."""
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    taken = []
    while True:
        method, props, body = channel.basic_get(QUEUE.dead_name, auto_ack=True)
        if method is None:
            break
        taken.append((props, body))
    conn.close()
    return taken


def service_settings(amqp_url: str, database_url: str, gateway_url: str, secret: str, **extra) -> PaymentsSettings:
    """Settings for a service aimed at this run's vhost, database and receiver."""
    values = {
        "app_env": "test",
        "amqp_url": amqp_url,
        "payments_database_url": database_url,
        "gateway_url": gateway_url,
        "payments_webhook_secret": secret,
        "retry_delays_ms": list(FAST_RETRIES),
        "payments_handler_threads": 4,
        "payments_prefetch": 8,
        "payment_provider": "sandbox",
    }
    return PaymentsSettings(_env_file=None, **(values | extra))


@contextlib.contextmanager
def running(settings: PaymentsSettings) -> Iterator[Service]:
    """The service consuming in a thread of this process, stopped (and drained) afterwards."""
    service = Service(settings)
    thread = threading.Thread(target=service.run, name="payments-service", daemon=True)
    thread.start()
    try:
        assert service.consumer.consuming.wait(10), "the service did not start consuming"
        yield service
    finally:
        service.stop()
        thread.join(20)
