"""Writing messages to the outbox, atomically with the domain change that caused them."""

import uuid

import orjson
from psycopg.types.json import Jsonb

from gateway.platform.db import driver_connection
from shared.messages import Message

INSERT_MESSAGE_SQL = (
    "INSERT INTO outbox (message_id, exchange, routing_key, message_type, payload, headers, attempts) "
    "VALUES (%(message_id)s, %(exchange)s, %(routing_key)s, %(message_type)s, %(payload)s, '{}', 0)"
)


INSERT_MESSAGES_SQL = """
INSERT INTO outbox (message_id, exchange, routing_key, message_type, payload, headers, attempts)
SELECT v.message_id, v.exchange, v.routing_key, v.message_type, v.payload::jsonb, '{}', 0
FROM unnest(%(message_id)s::uuid[], %(exchange)s::text[], %(routing_key)s::text[], %(message_type)s::text[],
            %(payload)s::text[]) WITH ORDINALITY AS v(message_id, exchange, routing_key, message_type, payload, n)
ORDER BY v.n
"""


def with_message_sql(change_sql: str) -> str:
    """SQL that makes `change_sql` (as a CTE) and writes one outbox row: atomic, one round trip.

    Parameters: those of `change_sql` plus `message_params(...)`.
    """
    return f"WITH change AS ({change_sql}) {INSERT_MESSAGE_SQL}"


def message_params(message: Message) -> dict:
    """Driver parameters for the outbox row of `with_message_sql`."""
    return {
        "message_id": uuid.uuid4(),
        "exchange": message.EXCHANGE,
        "routing_key": message.routing_key(),
        "message_type": message.TYPE,
        "payload": Jsonb(message.to_dict()),
    }


def add_message(session, message: Message) -> None:
    """Write `message` to the outbox inside the session's transaction (it commits or rolls back with it)."""
    session.connection().exec_driver_sql(INSERT_MESSAGE_SQL, message_params(message))


def add_messages(session, messages: list[Message]) -> None:
    """add_message for several messages, in their order, in one statement."""
    if not messages:
        return
    rows = [message_params(message) for message in messages]  # one outbox row per message, as add_message's
    params = {name: [row[name] for row in rows] for name in rows[0]}
    params["payload"] = [orjson.dumps(row["payload"].obj).decode() for row in rows]  # text[] for unnest
    driver_connection(session).execute(INSERT_MESSAGES_SQL, params, prepare=True)
