"""Writing messages to the outbox, inside the caller's transaction."""

import uuid

from sqlalchemy.orm import Session

from gateway.models import OutboxMessage
from shared.messages import Message


def add_message(session: Session, message: Message, message_id: uuid.UUID | None = None) -> OutboxMessage:
    """Stage `message` for publication; it leaves only if the surrounding transaction commits."""
    row = OutboxMessage(
        message_id=message_id or uuid.uuid4(),
        exchange=message.EXCHANGE,
        routing_key=message.ROUTING_KEY,
        message_type=message.TYPE,
        payload=message.to_dict(),
        headers={},
    )
    session.add(row)
    return row
