"""Consumes one work queue: manual acks, a prefetch limit, the handler off the I/O thread.

pika connections are not thread-safe, so handlers run on a thread pool and every
ack, reject or retry publish is handed back to the connection's thread with
`add_callback_threadsafe`. Heartbeats keep flowing while a handler is slow.
A handler returns an Outcome, or a Future of one when the effect becomes durable
later (for example when the gateway accepts the final webhook).

Settling is batched: outcomes wait in a queue for the I/O thread, which takes
all of them in one callback (one wake-up, however many finished together),
answers retries and dead letters first, then acks. Acks below the oldest
message still in flight go as one `basic_ack(multiple=True)`; an ack above it
goes alone, so a message is never acknowledged before its own outcome.
"""

import collections
import logging
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial

import pika
import pika.exceptions

from shared.amqp.outcomes import Ack, DeadLetter, Delivery, Outcome, Retry
from shared.amqp.topology import WorkQueue

log = logging.getLogger(__name__)

Handler = Callable[[Delivery], "Outcome | Future[Outcome]"]
ATTEMPT_HEADER = "x-attempt"
BROKER_HEADERS = {
    "x-death",
    "x-delivery-count",
    "x-first-death-exchange",
    "x-first-death-queue",
    "x-first-death-reason",
    "x-last-death-exchange",
    "x-last-death-queue",
    "x-last-death-reason",
}


class ConsumerRunner:
    """Runs `handler` for every message of `queue` until `stop()`; reconnects on broker loss."""

    def __init__(
        self,
        params: pika.ConnectionParameters,
        queue: WorkQueue,
        handler: Handler,
        prefetch: int = 32,
        workers: int = 8,
    ):
        self._params = params
        self._queue = queue
        self._handler = handler
        self._prefetch = prefetch
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="handler")
        self._stopping = threading.Event()
        self._inflight = 0
        self._channel = None
        self._unsettled: set[int] = set()  # delivery tags of self._channel not yet settled (I/O thread only)
        self._outcomes: collections.deque = collections.deque()  # (channel, tag, props, delivery, outcome)
        self._wake_lock = threading.Lock()
        self._wake_pending = False
        self.consuming = threading.Event()

    def run(self) -> None:
        """Consume until stopped, reconnecting with back-off when the broker goes away."""
        backoff = 0.5
        while not self._stopping.is_set():
            try:
                self._consume_once()
                backoff = 0.5
            except (pika.exceptions.AMQPConnectionError, pika.exceptions.AMQPChannelError, OSError) as exc:
                self.consuming.clear()
                if self._stopping.is_set():
                    break
                log.warning("broker connection lost (%s); reconnecting in %.1fs", exc, backoff)
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, 15)
        self._executor.shutdown(wait=False, cancel_futures=True)

    def stop(self) -> None:
        """Stop consuming; in-flight messages get a short grace period, the rest are redelivered."""
        self._stopping.set()

    def _consume_once(self) -> None:
        conn = pika.BlockingConnection(self._params)
        self._inflight = 0
        self._unsettled = set()
        self._wake_pending = False  # a wake-up queued on an earlier connection never runs
        try:
            channel = self._channel = conn.channel()
            channel.confirm_delivery()
            channel.basic_qos(prefetch_count=self._prefetch)
            channel.basic_consume(self._queue.name, partial(self._on_message, conn))
            self.consuming.set()
            log.info("consuming %s (prefetch %d)", self._queue.name, self._prefetch)
            while not self._stopping.is_set() and conn.is_open:
                conn.process_data_events(time_limit=0.5)
                if self._outcomes:  # queued while a wake-up went to a connection that had just closed
                    self._settle_all()
        finally:
            self.consuming.clear()
            if conn.is_open:
                self._drain(conn)
                conn.close()

    def _drain(self, conn: pika.BlockingConnection, grace: float = 5.0) -> None:
        deadline = time.monotonic() + grace
        while self._inflight and time.monotonic() < deadline:
            conn.process_data_events(time_limit=0.1)

    def _on_message(self, conn, channel, method, props, body: bytes) -> None:
        headers = dict(props.headers or {})
        delivery = Delivery(
            body=body,
            message_id=props.message_id,
            message_type=props.type,
            headers=headers,
            redelivered=bool(method.redelivered),
            attempt=int(headers.get(ATTEMPT_HEADER) or 1),
            max_attempts=self._queue.max_attempts,
        )
        self._inflight += 1
        self._unsettled.add(method.delivery_tag)
        settle = partial(self._settle_threadsafe, conn, channel, method.delivery_tag, props, delivery)
        self._executor.submit(self._handler, delivery).add_done_callback(settle)

    def _settle_threadsafe(self, conn, channel, tag, props, delivery, future: Future) -> None:
        """Runs on a handler thread: chain nested futures, then settle on the I/O thread."""
        try:
            result = future.result()
        except Exception as exc:  # a handler bug counts as a transient failure
            log.exception("handler crashed on message %s", delivery.message_id)
            result = Retry(f"handler error: {exc!r}")
        if isinstance(result, Future):
            result.add_done_callback(partial(self._settle_threadsafe, conn, channel, tag, props, delivery))
            return
        self._outcomes.append((channel, tag, props, delivery, result))
        with self._wake_lock:  # one wake-up of the I/O thread for every outcome queued before it runs
            if self._wake_pending:
                return
            self._wake_pending = True
        try:
            conn.add_callback_threadsafe(self._settle_all)
        except Exception:  # noqa: BLE001 - connection gone: the broker redelivers
            with self._wake_lock:
                self._wake_pending = False
            log.warning("connection closed before settling %s; it will be redelivered", delivery.message_id)

    def _settle_all(self) -> None:
        """Runs on the I/O thread: settle every queued outcome, acks last and together."""
        with self._wake_lock:
            self._wake_pending = False
        acks = []
        while self._outcomes:
            channel, tag, props, delivery, outcome = self._outcomes.popleft()
            if channel is not self._channel:  # an earlier connection's message: the broker redelivers it
                continue
            self._inflight -= 1
            self._unsettled.discard(tag)
            if channel.is_open and self._settle(channel, tag, props, delivery, outcome):
                acks.append(tag)
        if acks and self._channel.is_open:
            self._ack(self._channel, acks)

    def _ack(self, channel, tags: list[int]) -> None:
        """Ack `tags`: those below every unsettled tag in one frame, each of the others alone."""
        oldest_unsettled = min(self._unsettled, default=math.inf)
        below = [tag for tag in tags if tag < oldest_unsettled]
        if below:
            channel.basic_ack(max(below), multiple=True)
        for tag in tags:
            if tag > oldest_unsettled:
                channel.basic_ack(tag)

    def _settle(self, channel, tag, props, delivery: Delivery, outcome: Outcome) -> bool:
        """Runs on the I/O thread: True to ack; a retry is republished first, a dead letter rejected here."""
        if isinstance(outcome, Retry) and delivery.is_last_attempt:
            outcome = DeadLetter(f"gave up after {delivery.attempt} attempts: {outcome.reason}")
        if isinstance(outcome, Ack):
            return True
        if isinstance(outcome, Retry):
            try:
                self._republish_for_retry(channel, props, delivery)
            except (pika.exceptions.UnroutableError, pika.exceptions.NackError) as exc:
                # The retry queue is missing or refused the copy: keep the message safe in .dead.
                log.error("could not schedule a retry of %s (%r); dead-lettering it", delivery.message_id, exc)
                channel.basic_reject(tag, requeue=False)
                return False
            log.info("message %s retrying (attempt %d): %s", delivery.message_id, delivery.attempt, outcome.reason)
            return True
        log.warning("message %s dead-lettered: %s", delivery.message_id, outcome.reason)
        channel.basic_reject(tag, requeue=False)
        return False

    def _republish_for_retry(self, channel, props, delivery: Delivery) -> None:
        headers = {k: v for k, v in delivery.headers.items() if k not in BROKER_HEADERS}
        headers[ATTEMPT_HEADER] = delivery.attempt + 1
        properties = pika.BasicProperties(
            content_type=props.content_type,
            delivery_mode=pika.DeliveryMode.Persistent,
            message_id=props.message_id,
            type=props.type,
            timestamp=props.timestamp,
            app_id=props.app_id,
            headers=headers,
        )
        retry_queue = self._queue.retry_name(delivery.attempt)
        channel.basic_publish("", retry_queue, delivery.body, properties, mandatory=True)
