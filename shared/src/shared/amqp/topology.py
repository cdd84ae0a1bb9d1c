"""The broker topology, declared in one place.

Every message family has a durable topic exchange. Every work queue is a quorum
queue with a delivery limit, a ladder of retry queues (one per back-off step,
each dead-lettering back into the work queue when its TTL expires) and a
`.dead` queue where poison messages wait for an operator. Exchanges route
anything unroutable to the `unroutable` queue instead of dropping it. Delay
queues hold a message for a while and then dead-letter it back to its exchange:
the notifier schedules customer webhook retries (hours apart) through them.
Stream queues are append-only logs (the original classroom's Kafka topic): each
consumer reads from an offset of its own and may replay; retention, not acks,
removes their messages.
"""

import argparse
import dataclasses
import json
import logging
import sys
from pathlib import Path

import pika

from shared.messages.events import EVENT_ROUTING_PATTERNS

log = logging.getLogger(__name__)
FAMILY_EXCHANGES = ("jobs", "training", "inference", "payments", "events")
DEAD_LETTER_EXCHANGE = "dead-letter"
UNROUTABLE_EXCHANGE = "unroutable"
UNROUTABLE_QUEUE = "unroutable"


def format_delay(ms: int) -> str:
    """1000 -> '1s', 1500 -> '1500ms', 120000 -> '2m', 21600000 -> '6h': readable queue names."""
    if ms % 3_600_000 == 0:
        return f"{ms // 3_600_000}h"
    if ms % 60_000 == 0:
        return f"{ms // 60_000}m"
    if ms % 1000 == 0:
        return f"{ms // 1000}s"
    return f"{ms}ms"


@dataclasses.dataclass(frozen=True)
class WorkQueue:
    """A service's durable work queue with its retry ladder and dead-letter queue."""

    name: str
    exchange: str
    routing_keys: tuple[str, ...]
    retry_delays_ms: tuple[int, ...] = (1_000, 5_000, 30_000)
    delivery_limit: int = 5
    single_active_consumer: bool = False  # one consumer at a time (the others stand by): delivery order kept

    @property
    def dead_name(self) -> str:
        return f"{self.name}.dead"

    def retry_name(self, attempt: int) -> str:
        """The retry queue that holds a message before its `attempt + 1`-th try (attempt is 1-based)."""
        return f"{self.name}.retry.{format_delay(self.retry_delays_ms[attempt - 1])}"

    @property
    def max_attempts(self) -> int:
        return len(self.retry_delays_ms) + 1

    def queues(self) -> list[tuple[str, dict]]:
        """(name, arguments) of every queue this work queue needs."""
        work = {
            "x-queue-type": "quorum",
            "x-delivery-limit": self.delivery_limit,
            "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE,
            "x-dead-letter-routing-key": self.dead_name,
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        }
        if self.single_active_consumer:
            work["x-single-active-consumer"] = True
        result = [(self.name, work), (self.dead_name, {"x-queue-type": "quorum"})]
        for delay in sorted(set(self.retry_delays_ms)):
            retry = {
                "x-queue-type": "quorum",
                "x-message-ttl": delay,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": self.name,
            }
            result.append((f"{self.name}.retry.{format_delay(delay)}", retry))
        return result


# Customer webhook retries wait in the bucket at or above their delay (see the notifier's schedule).
WEBHOOK_DELAYS_MS = (5_000, 30_000, 120_000, 600_000, 3_600_000, 21_600_000)


@dataclasses.dataclass(frozen=True)
class DelayQueues:
    """Classic queues that hold a message for their TTL, then dead-letter it to `exchange` with `routing_key`."""

    prefix: str
    exchange: str
    routing_key: str
    delays_ms: tuple[int, ...]

    def name(self, delay_ms: int) -> str:
        return f"{self.prefix}.{format_delay(delay_ms)}"

    def bucket_for(self, wanted_ms: int) -> int:
        """The smallest delay at or above `wanted_ms` (the largest when none is)."""
        ordered = sorted(set(self.delays_ms))
        return next((delay for delay in ordered if delay >= wanted_ms), ordered[-1])

    def queues(self) -> list[tuple[str, dict]]:
        """(name, arguments) of every bucket."""
        return [
            (
                self.name(delay),
                {
                    "x-queue-type": "classic",
                    "x-message-ttl": delay,
                    "x-dead-letter-exchange": self.exchange,
                    "x-dead-letter-routing-key": self.routing_key,
                },
            )
            for delay in sorted(set(self.delays_ms))
        ]


@dataclasses.dataclass(frozen=True)
class StreamQueue:
    """A RabbitMQ stream: an append-only log that several consumers read independently, each from its own offset.

    Messages are kept for `max_age` or until the stream holds `max_length_bytes`, whichever comes first, and are
    removed a whole segment at a time; a consumer that must not lose its place keeps its offset itself.
    """

    name: str
    exchange: str
    routing_keys: tuple[str, ...]
    max_age: str = "7D"
    max_length_bytes: int = 10 * 1024**3
    segment_bytes: int = 100 * 1024**2

    def arguments(self) -> dict:
        return {
            "x-queue-type": "stream",
            "x-max-age": self.max_age,
            "x-max-length-bytes": self.max_length_bytes,
            "x-stream-max-segment-size-bytes": self.segment_bytes,
        }


def classroom_activity() -> StreamQueue:
    """Learners' activity events (ActivityLogged): a week or 10 GiB of replay, whichever ends first.

    The gateway's activity consumer stores them in Postgres (the lasting record), so the stream need only cover
    a consumer's downtime and a new reader's catch-up. An event is about 300 bytes: 10 GiB is two hours at the
    ingest target (5,000 events/s) and months of a busy day's classes (30 learners, an event a second, 6 hours:
    about 200 MB).
    """
    return StreamQueue("classroom.activity", "events", ("activity.logged",))


def stream_queues() -> list[StreamQueue]:
    """Every stream of the platform."""
    return [classroom_activity()]


def notifier_webhook_delays(delays_ms: tuple[int, ...] = WEBHOOK_DELAYS_MS) -> DelayQueues:
    """Where a DeliverWebhook waits for its next attempt; it comes back to `notifier.webhooks`."""
    return DelayQueues("notifier.webhooks.delay", "events", "webhook.deliver", tuple(delays_ms))


def delay_queues() -> list[DelayQueues]:
    """Every delay ladder of the platform."""
    return [notifier_webhook_delays()]


def llm_worker_jobs(retry_delays_ms: tuple[int, ...] = (1_000, 5_000, 30_000)) -> WorkQueue:
    """The llm-worker's GPT job queue."""
    return WorkQueue("llm-worker.jobs", "jobs", ("job.run",), tuple(retry_delays_ms))


def llm_worker_training(retry_delays_ms: tuple[int, ...] = (1_000, 5_000, 30_000)) -> WorkQueue:
    """The llm-worker's style trainings (TrainStyle)."""
    return WorkQueue("llm-worker.training", "training", ("training.requested",), tuple(retry_delays_ms))


def llm_worker_inference(retry_delays_ms: tuple[int, ...] = (1_000, 5_000, 30_000)) -> WorkQueue:
    """The llm-worker's image generations (GenerateImage)."""
    return WorkQueue("llm-worker.inference", "inference", ("inference.requested",), tuple(retry_delays_ms))


def llm_worker_careers(retry_delays_ms: tuple[int, ...] = (1_000, 5_000, 30_000)) -> WorkQueue:
    """The llm-worker's careers AI work: résumé feedback, rewrites, interview steps and study guides."""
    return WorkQueue("llm-worker.careers", "jobs", ("careers.*",), tuple(retry_delays_ms))


def llm_worker_classroom(retry_delays_ms: tuple[int, ...] = (1_000, 5_000, 30_000)) -> WorkQueue:
    """The llm-worker's classroom AI work: help request diagnoses and recording analyses."""
    return WorkQueue("llm-worker.classroom", "jobs", ("classroom.*",), tuple(retry_delays_ms))


def payments_charges(retry_delays_ms: tuple[int, ...] = (1_000, 5_000, 30_000)) -> WorkQueue:
    """The payments service's work: charges and refunds."""
    return WorkQueue("payments.charges", "payments", ("payment.charge", "payment.refund"), tuple(retry_delays_ms))


def notifier_events(retry_delays_ms: tuple[int, ...] = (1_000, 5_000, 30_000)) -> WorkQueue:
    """Domain events for the notifier: e-mail and the push stream, done once per event (not per replica).

    One consumer at a time, so a user's events are appended to the push stream in the order published.
    """
    return WorkQueue(
        "notifier.events", "events", EVENT_ROUTING_PATTERNS, tuple(retry_delays_ms), single_active_consumer=True
    )


def notifier_webhooks(retry_delays_ms: tuple[int, ...] = (1_000, 5_000, 30_000)) -> WorkQueue:
    """Outbound customer webhook deliveries (their own back-off is scheduled by the notifier)."""
    return WorkQueue("notifier.webhooks", "events", ("webhook.deliver",), tuple(retry_delays_ms))


def work_queues(retry_delays_ms: tuple[int, ...] = (1_000, 5_000, 30_000)) -> list[WorkQueue]:
    """Every work queue of the platform."""
    return [
        llm_worker_jobs(retry_delays_ms),
        llm_worker_training(retry_delays_ms),
        llm_worker_inference(retry_delays_ms),
        llm_worker_careers(retry_delays_ms),
        llm_worker_classroom(retry_delays_ms),
        payments_charges(retry_delays_ms),
        notifier_events(retry_delays_ms),
        notifier_webhooks(retry_delays_ms),
    ]


class QueueArgumentsChanged(RuntimeError):
    """A queue exists with other arguments than this version declares, and still holds messages."""


def _declare_queue(channel, name: str, args: dict):
    """Declare `name`; an EMPTY, unused queue declared earlier with other arguments is replaced.

    RabbitMQ cannot change a queue's arguments. After an upgrade that changes
    them (a new retry step, single-active-consumer), a queue nobody uses and
    that holds nothing is deleted and declared again; one that holds messages
    is left alone and the operator is told what to do, never losing a message.
    Returns the channel to go on with (the broker closes one on a failed declare).
    """
    try:
        channel.queue_declare(name, durable=True, arguments=args)
        return channel
    except pika.exceptions.ChannelClosedByBroker as error:
        if error.reply_code != 406:
            raise
    channel = channel.connection.channel()
    state = channel.queue_declare(name, passive=True).method  # quorum queues refuse if-empty/if-unused deletes
    if state.message_count or state.consumer_count:
        raise QueueArgumentsChanged(
            f"queue {name!r} exists with other arguments and still holds {state.message_count} messages and "
            f"{state.consumer_count} consumers: stop them, move the messages (e.g. a shovel), then "
            f"`rabbitmqctl delete_queue {name}` and declare again"
        )
    channel.queue_delete(name)
    channel.queue_declare(name, durable=True, arguments=args)
    return channel


def _declare_stream(channel, stream: StreamQueue) -> None:
    """Declare a stream; one declared earlier with other arguments is left alone (it may hold a week of events)."""
    try:
        channel.queue_declare(stream.name, durable=True, arguments=stream.arguments())
    except pika.exceptions.ChannelClosedByBroker as error:
        if error.reply_code != 406:
            raise
        raise QueueArgumentsChanged(
            f"stream {stream.name!r} exists with other arguments: change its retention with a policy "
            f"(max-age, max-length-bytes), or move its readers off, `rabbitmqctl delete_queue {stream.name}` "
            "and declare again"
        ) from error
    for key in stream.routing_keys:
        channel.queue_bind(stream.name, stream.exchange, routing_key=key)


def declare(
    channel,
    queues: list[WorkQueue],
    delays: list[DelayQueues] | None = None,
    streams: list[StreamQueue] | None = None,
) -> None:
    """Declare exchanges, queues, streams and bindings (idempotent) on a blocking channel."""
    channel.exchange_declare(UNROUTABLE_EXCHANGE, "fanout", durable=True)
    channel.queue_declare(UNROUTABLE_QUEUE, durable=True, arguments={"x-queue-type": "quorum"})
    channel.queue_bind(UNROUTABLE_QUEUE, UNROUTABLE_EXCHANGE)
    channel.exchange_declare(DEAD_LETTER_EXCHANGE, "direct", durable=True)
    for name in FAMILY_EXCHANGES:
        channel.exchange_declare(name, "topic", durable=True, arguments={"alternate-exchange": UNROUTABLE_EXCHANGE})
    for wq in queues:
        for qname, args in wq.queues():
            channel = _declare_queue(channel, qname, args)
        channel.queue_bind(wq.dead_name, DEAD_LETTER_EXCHANGE, routing_key=wq.dead_name)
        for key in wq.routing_keys:
            channel.queue_bind(wq.name, wq.exchange, routing_key=key)
    for ladder in delay_queues() if delays is None else delays:
        for qname, args in ladder.queues():
            channel = _declare_queue(channel, qname, args)
    for stream in stream_queues() if streams is None else streams:
        _declare_stream(channel, stream)


def ensure_declared(amqp_url: str, retry_delays_ms, name: str) -> bool:
    """Declare everything at process start; False (not an error) when the broker is away or goes away meanwhile.

    A process that starts while the broker stops must still start (its own reconnect loop takes over), so a
    connection lost half-way is an answer, not a crash. A refused declaration (a queue that exists with other
    arguments) is a channel error and still raises: that needs an operator.
    """
    from shared.amqp.connection import connection_parameters

    conn = None
    try:
        conn = pika.BlockingConnection(connection_parameters(amqp_url, name))
        declare(conn.channel(), work_queues(tuple(retry_delays_ms)))
    except pika.exceptions.AMQPConnectionError as error:
        log.warning("topology not declared: the broker is unavailable (%r)", error)
        return False
    finally:
        if conn is not None and conn.is_open:
            conn.close()
    return True


def definitions(
    queues: list[WorkQueue],
    vhost: str = "/",
    delays: list[DelayQueues] | None = None,
    streams: list[StreamQueue] | None = None,
) -> dict:
    """The same topology as a RabbitMQ definitions document (importable from the console)."""
    exchanges = [_exchange(UNROUTABLE_EXCHANGE, "fanout", {}, vhost)]
    exchanges.append(_exchange(DEAD_LETTER_EXCHANGE, "direct", {}, vhost))
    exchanges += [_exchange(n, "topic", {"alternate-exchange": UNROUTABLE_EXCHANGE}, vhost) for n in FAMILY_EXCHANGES]
    qdefs = [_queue(UNROUTABLE_QUEUE, {"x-queue-type": "quorum"}, vhost)]
    bindings = [_binding(UNROUTABLE_EXCHANGE, UNROUTABLE_QUEUE, "", vhost)]
    for wq in queues:
        qdefs += [_queue(name, args, vhost) for name, args in wq.queues()]
        bindings.append(_binding(DEAD_LETTER_EXCHANGE, wq.dead_name, wq.dead_name, vhost))
        bindings += [_binding(wq.exchange, wq.name, key, vhost) for key in wq.routing_keys]
    for ladder in delay_queues() if delays is None else delays:
        qdefs += [_queue(name, args, vhost) for name, args in ladder.queues()]
    for stream in stream_queues() if streams is None else streams:
        qdefs.append(_queue(stream.name, stream.arguments(), vhost))
        bindings += [_binding(stream.exchange, stream.name, key, vhost) for key in stream.routing_keys]
    return {"vhosts": [{"name": vhost}], "exchanges": exchanges, "queues": qdefs, "bindings": bindings}


def _exchange(name: str, kind: str, args: dict, vhost: str) -> dict:
    return {
        "name": name,
        "vhost": vhost,
        "type": kind,
        "durable": True,
        "auto_delete": False,
        "internal": False,
        "arguments": args,
    }


def _queue(name: str, args: dict, vhost: str) -> dict:
    return {"name": name, "vhost": vhost, "durable": True, "auto_delete": False, "arguments": args}


def _binding(source: str, queue: str, key: str, vhost: str) -> dict:
    return {
        "source": source,
        "vhost": vhost,
        "destination": queue,
        "destination_type": "queue",
        "routing_key": key,
        "arguments": {},
    }


def main(argv: list[str] | None = None) -> int:
    """`declare` the topology on the broker, or `export` it as definitions.json."""
    from shared.config import CommonSettings

    parser = argparse.ArgumentParser(prog="python -m shared.amqp.topology")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("declare", help="declare exchanges, queues and bindings on AMQP_URL")
    export = sub.add_parser("export", help="write the RabbitMQ definitions document")
    export.add_argument("path", nargs="?", default="-")
    args = parser.parse_args(argv)
    settings = CommonSettings()
    queues = work_queues(tuple(settings.retry_delays_ms))
    if args.command == "export":
        text = json.dumps(definitions(queues), indent=2) + "\n"
        if args.path == "-":
            sys.stdout.write(text)
        else:
            Path(args.path).write_text(text)
        return 0
    if not ensure_declared(settings.amqp_url, settings.retry_delays_ms, "topology"):
        print(f"RabbitMQ is not reachable at {settings.amqp_url}", file=sys.stderr)
        return 1
    count = sum(len(q.queues()) for q in queues) + sum(len(d.queues()) for d in delay_queues())
    print(f"declared {len(FAMILY_EXCHANGES)} exchanges, {count} queues and {len(stream_queues())} streams")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
