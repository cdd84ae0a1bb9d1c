"""Schedules a webhook's next attempt through the broker, never by sleeping a thread.

The next DeliverWebhook goes into the delay bucket at or above the wanted delay,
with that delay as its own expiration, and comes back to `notifier.webhooks`
when it expires (the bucket dead-letters to `events` / `webhook.deliver`). A
bucket expires messages from its head, so an attempt waits between the wanted
delay and the bucket's TTL. One thread owns the connection (pika connections
are not thread-safe) and publishes with confirms; callers wait for the confirm.
"""

import contextlib
import logging
import queue
import threading
from concurrent.futures import Future

import pika
import pika.exceptions

from shared.amqp.topology import DelayQueues
from shared.messages import DeliverWebhook

log = logging.getLogger(__name__)
_STOP = object()


class ScheduleFailed(Exception):
    """The broker did not confirm the next attempt; the current one must not be acked."""


class DelayScheduler:
    """Publishes next attempts into delay buckets with publisher confirms, on its own thread."""

    def __init__(self, params: pika.ConnectionParameters, ladder: DelayQueues, timeout: float = 30.0):
        self._params = params
        self.ladder = ladder
        self._timeout = timeout
        self._requests: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="webhook-scheduler", daemon=True)
        self._connection: pika.BlockingConnection | None = None
        self._channel = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._requests.put(_STOP)
        self._thread.join(timeout=10)

    def declare(self) -> None:
        """Declare this process's buckets (the defaults are part of the shared topology already)."""
        conn = pika.BlockingConnection(self._params)
        try:
            channel = conn.channel()
            for name, args in self.ladder.queues():
                channel.queue_declare(name, durable=True, arguments=args)
        finally:
            conn.close()

    def schedule(self, command: DeliverWebhook, delay_ms: int) -> str:
        """Publish `command` to wait `delay_ms`; the bucket's name once the broker confirmed it."""
        future: Future = Future()
        self._requests.put((command, delay_ms, future))
        try:
            return future.result(timeout=self._timeout)
        except TimeoutError:
            raise ScheduleFailed(f"no confirm within {self._timeout:g} s") from None

    def _loop(self) -> None:
        while True:
            try:
                item = self._requests.get(timeout=1.0)
            except queue.Empty:
                self._keep_alive()
                continue
            if item is _STOP:
                self._close()
                return
            command, delay_ms, future = item
            try:
                future.set_result(self._publish(command, delay_ms))
            except Exception as exc:  # noqa: BLE001 - handed to the waiting handler
                future.set_exception(exc if isinstance(exc, ScheduleFailed) else ScheduleFailed(repr(exc)))

    def _publish(self, command: DeliverWebhook, delay_ms: int) -> str:
        bucket = self.ladder.name(self.ladder.bucket_for(delay_ms))
        properties = pika.BasicProperties(
            content_type="application/json",
            delivery_mode=pika.DeliveryMode.Persistent,
            message_id=f"{command.delivery_id}:{command.attempt}",
            type=DeliverWebhook.TYPE,
            app_id="notifier",
            expiration=str(max(0, delay_ms)),
        )
        try:
            return self._send(bucket, command, properties)
        except (pika.exceptions.AMQPError, OSError):
            self._close()  # an idle connection may have been dropped: reconnect once
        try:
            return self._send(bucket, command, properties)
        except (pika.exceptions.AMQPError, OSError) as exc:
            self._close()
            raise ScheduleFailed(f"broker unavailable: {exc!r}") from None

    def _send(self, bucket: str, command: DeliverWebhook, properties: pika.BasicProperties) -> str:
        try:
            self._open().basic_publish("", bucket, command.to_json(), properties, mandatory=True)
        except (pika.exceptions.UnroutableError, pika.exceptions.NackError) as exc:
            raise ScheduleFailed(f"{bucket} refused the next attempt ({exc!r})") from None
        return bucket

    def _open(self):
        if self._channel is None or not self._channel.is_open:
            self._close()
            self._connection = pika.BlockingConnection(self._params)
            self._channel = self._connection.channel()
            self._channel.confirm_delivery()
        return self._channel

    def _keep_alive(self) -> None:
        if self._connection is not None and self._connection.is_open:
            try:
                self._connection.process_data_events(0)
            except (pika.exceptions.AMQPError, OSError):
                self._close()

    def _close(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            with contextlib.suppress(pika.exceptions.AMQPError, OSError):
                connection.close()
