"""The notifier on the real broker and Redis: settings for a test, the service on a thread, publishing helpers."""

import asyncio
import contextlib
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pika
import redis

from notifier.bootstrap import Service
from notifier.settings import NotifierSettings
from shared.amqp.topology import ensure_declared, notifier_events, notifier_webhook_delays, notifier_webhooks
from shared.messages import DeliverWebhook, DomainEvent
from shared.messages.base import Message
from shared.webhooks import generate_secret

REDIS_URL = "redis://127.0.0.1:6379/0"
FAST_RETRIES = (200, 400, 800)
# Test buckets: short ones so retries happen within a test, and 2m to show a long Retry-After waiting.
TEST_BUCKETS = (300, 1_000, 120_000)
TEST_SCHEDULE = (300, 300, 300)


def declare_fresh(amqp_url: str) -> None:
    """Declare the topology (fast ladders, test buckets) and empty the notifier's queues of earlier tests."""
    assert ensure_declared(amqp_url, list(FAST_RETRIES), "notifier-tests")
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    for name, args in notifier_webhook_delays(TEST_BUCKETS).queues():
        channel.queue_declare(name, durable=True, arguments=args)
        channel.queue_purge(name)
    for queue in (notifier_events(FAST_RETRIES), notifier_webhooks(FAST_RETRIES)):
        for name, _ in queue.queues():
            channel.queue_purge(name)
    conn.close()


def settings_for(amqp_url: str, redis_prefix: str, gateway_url: str, secret: str, **extra) -> NotifierSettings:
    """Settings for a notifier aimed at this run's vhost, Redis prefix and stand-ins."""
    values = {
        "app_env": "test",
        "amqp_url": amqp_url,
        "redis_url": REDIS_URL,
        "notifier_redis_prefix": f"{redis_prefix}:notifier",
        "gateway_url": gateway_url,
        "notifier_webhook_secret": secret,
        "notifier_bind": "127.0.0.1:0",
        "notifier_jwks_url": "off",
        "retry_delays_ms": list(FAST_RETRIES),
        "notifier_events_threads": 4,
        "notifier_webhooks_threads": 8,
        "webhook_allow_private_urls": True,
        "webhook_delay_buckets_ms": list(TEST_BUCKETS),
        "webhook_retry_schedule_ms": list(TEST_SCHEDULE),
        "webhook_report_linger_ms": 10,
        "smtp_host": "",
    }
    return NotifierSettings(_env_file=None, **(values | extra))


class RunningNotifier:
    """A Service serving on its own event loop thread."""

    def __init__(self, service: Service):
        self.service = service
        self._loop = asyncio.new_event_loop()
        self._stop = asyncio.Event()
        self._thread = threading.Thread(target=self._loop.run_until_complete, args=(service.serve(self._stop),))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.service.realtime.port}"

    def start(self) -> "RunningNotifier":
        self._thread.start()
        for consumer in self.service.consumers:
            assert consumer.consuming.wait(15), "a notifier consumer did not start"
        if self.service.realtime:
            ready = _wait(lambda: self.service.realtime.feed and self.service.realtime.feed.consuming.is_set())
            assert ready, "the push server did not start consuming"
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)


def _wait(predicate, timeout: float = 15.0):
    from shared.testing import wait_until

    return wait_until(predicate, timeout)


@contextlib.contextmanager
def running(settings: NotifierSettings, mailer=None) -> Iterator[RunningNotifier]:
    notifier = RunningNotifier(Service(settings, mailer)).start()
    try:
        yield notifier
    finally:
        notifier.stop()


def publish(amqp_url: str, message: Message, message_id: str | None = None) -> str:
    """Publish like the gateway's relay (persistent, typed, with a message id), confirmed."""
    return publish_many(amqp_url, [message], message_id)[0]


def publish_many(amqp_url: str, messages: list[Message], message_id: str | None = None) -> list[str]:
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    channel.confirm_delivery()
    ids = []
    for message in messages:
        ids.append(message_id or uuid.uuid4().hex)
        props = pika.BasicProperties(
            content_type="application/json",
            delivery_mode=pika.DeliveryMode.Persistent,
            message_id=ids[-1],
            type=message.TYPE,
        )
        channel.basic_publish(message.EXCHANGE, message.routing_key(), message.to_json(), props)
    conn.close()
    return ids


def take(amqp_url: str, queue: str) -> list[tuple[pika.BasicProperties, bytes]]:
    """Remove and return every message waiting in `queue`."""
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    taken = []
    while True:
        method, props, body = channel.basic_get(queue, auto_ack=True)
        if method is None:
            break
        taken.append((props, body))
    conn.close()
    return taken


def domain_event(user_id: str, **overrides) -> DomainEvent:
    fields = {
        "id": str(uuid.uuid4()),
        "type": "job.completed",
        "user_id": user_id,
        "occurred_at": datetime.now(UTC).isoformat(),
        "title": "Your summary is ready",
        "body": "The job finished: 2 steps, 1.2 s.",
        "data": {"id": str(uuid.uuid4()), "status": "completed"},
        "notification_id": str(uuid.uuid4()),
        "realtime": True,
        "email": None,
    }
    return DomainEvent(**(fields | overrides))


def deliver_webhook(url: str, **overrides) -> DeliverWebhook:
    event_id = str(uuid.uuid4())
    fields = {
        "delivery_id": str(uuid.uuid4()),
        "endpoint_id": str(uuid.uuid4()),
        "url": url,
        "secret": generate_secret(),
        "event_id": event_id,
        "event_type": "payment.paid",
        "payload": {"id": event_id, "type": "payment.paid", "timestamp": "2026-01-02T03:04:05+00:00", "data": {}},
    }
    return DeliverWebhook(**(fields | overrides))


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(REDIS_URL, decode_responses=True)
