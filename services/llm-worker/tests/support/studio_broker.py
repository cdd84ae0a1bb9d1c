"""Test helpers on the real broker: publish studio messages, read `.dead` queues, run the worker in a thread."""

import contextlib
import threading
import uuid
from collections.abc import Iterator

import pika

from llm_worker.bootstrap import Worker
from llm_worker.settings import WorkerSettings
from shared.amqp.topology import ensure_declared, llm_worker_inference, llm_worker_training
from shared.messages.base import Message

FAST_RETRIES = (200, 400, 800)
TRAINING = llm_worker_training(FAST_RETRIES)
INFERENCE = llm_worker_inference(FAST_RETRIES)


def declare_fresh(amqp_url: str) -> None:
    """Declare the topology with the fast ladder and empty the studio's queues of earlier tests."""
    assert ensure_declared(amqp_url, list(FAST_RETRIES), "studio-tests")
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    for queue in (TRAINING, INFERENCE):
        for name, _ in queue.queues():
            channel.queue_purge(name)
    conn.close()


def publish(amqp_url: str, message: Message, message_id: str | None = None, body: bytes | None = None) -> str:
    """Publish like the gateway's relay (persistent, typed, with a message id), confirmed."""
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


def take_dead(amqp_url: str, name: str) -> list[bytes]:
    """Remove and return the bodies waiting in the dead-letter queue `name`."""
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    bodies = []
    while True:
        method, _, body = channel.basic_get(name, auto_ack=True)
        if method is None:
            break
        bodies.append(body)
    conn.close()
    return bodies


def worker_settings(amqp_url: str, gateway_url: str, secrets: dict[str, str], storage_dir: str, **extra):
    """Settings for a worker on this run's vhost, reporting to the stand-in receiver."""
    values = {
        "app_env": "test",
        "amqp_url": amqp_url,
        "gateway_url": gateway_url,
        "jobs_webhook_secret": secrets["jobs"],
        "training_webhook_secret": secrets["training"],
        "inference_webhook_secret": secrets["inference"],
        "retry_delays_ms": list(FAST_RETRIES),
        "llm_provider": "local",
        "storage_backend": "local",
        "storage_dir": storage_dir,
        "training_progress_interval_ms": 0,
    }
    return WorkerSettings(_env_file=None, **(values | extra))


@contextlib.contextmanager
def running(worker: Worker) -> Iterator[Worker]:
    """The worker consuming in a thread of this process, stopped (and drained) afterwards."""
    thread = threading.Thread(target=worker.run, name="llm-worker", daemon=True)
    thread.start()
    try:
        for kind, consumer in worker.consumers.items():
            assert consumer.consuming.wait(10), f"the {kind} consumer did not start"
        yield worker
    finally:
        worker.stop()
        thread.join(20)
