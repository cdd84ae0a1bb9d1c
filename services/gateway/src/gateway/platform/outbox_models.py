"""The transactional outbox: messages written with the domain change, published by the relay."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Identity, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from gateway.platform.models import Base


class OutboxMessage(Base):
    """A message waiting for (or done with) publication to RabbitMQ."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_pending", "id", postgresql_where="published_at IS NULL"),
        Index("ix_outbox_published_at", "published_at", postgresql_where="published_at IS NOT NULL"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    message_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    exchange: Mapped[str] = mapped_column(String(64))
    routing_key: Mapped[str] = mapped_column(String(128))
    message_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    published_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
