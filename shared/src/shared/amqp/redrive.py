"""Move dead-lettered messages back to their work queue: `python -m shared.amqp.redrive llm-worker.jobs`.

The same can be done by hand in the management console (Queues -> <name>.dead ->
Move messages, with the shovel plugin). Here each message is republished with
publisher confirms, its attempt counter reset, and only then acked.
"""

import argparse

import pika

from shared.amqp.connection import connection_parameters
from shared.amqp.consumer import ATTEMPT_HEADER, BROKER_HEADERS
from shared.config import CommonSettings


def redrive(amqp_url: str, queue: str, limit: int | None = None) -> int:
    """Republish up to `limit` messages from `<queue>.dead` to `queue`; how many moved."""
    conn = pika.BlockingConnection(connection_parameters(amqp_url, "redrive"))
    moved = 0
    try:
        channel = conn.channel()
        channel.confirm_delivery()
        while limit is None or moved < limit:
            method, props, body = channel.basic_get(f"{queue}.dead", auto_ack=False)
            if method is None:
                break
            headers = {k: v for k, v in (props.headers or {}).items() if k not in BROKER_HEADERS}
            headers[ATTEMPT_HEADER] = 1
            props.headers = headers
            channel.basic_publish("", queue, body, props, mandatory=True)
            channel.basic_ack(method.delivery_tag)
            moved += 1
    finally:
        conn.close()
    return moved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queue", help="the work queue, e.g. llm-worker.jobs")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    moved = redrive(CommonSettings().amqp_url, args.queue, args.limit)
    print(f"moved {moved} message(s) from {args.queue}.dead to {args.queue}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
