"""Writing messages to the outbox, atomically with the domain change that caused them."""

import uuid

from sqlalchemy import insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert, Update

from gateway.models import OutboxMessage
from shared.messages import Message

OUTBOX = OutboxMessage.__table__


def outbox_row(message: Message, message_id: uuid.UUID | None = None) -> dict:
    """The outbox row for `message`."""
    return {
        "message_id": message_id or uuid.uuid4(),
        "exchange": message.EXCHANGE,
        "routing_key": message.ROUTING_KEY,
        "message_type": message.TYPE,
        "payload": message.to_dict(),
        "headers": {},
        "attempts": 0,
    }


def add_message(session: Session, message: Message, message_id: uuid.UUID | None = None) -> None:
    """Stage `message` inside the session's transaction; it leaves only if that transaction commits."""
    session.execute(insert(OUTBOX), outbox_row(message, message_id))


def with_message(change: Insert | Update, message: Message) -> Insert:
    """One statement that makes `change` and writes the outbox row: atomic, and one round trip."""
    return insert(OUTBOX).values(outbox_row(message)).add_cte(change.cte("change"))
