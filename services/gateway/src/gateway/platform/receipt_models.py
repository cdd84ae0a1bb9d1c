"""Webhook ids already accepted, so a replay has no second effect."""

from datetime import datetime
from typing import Any

from sqlalchemy import String, func
from sqlalchemy.orm import Mapped, mapped_column

from gateway.platform.models import Base


class WebhookReceipt(Base):
    """One accepted webhook delivery and the answer it got (replayed to a duplicate)."""

    __tablename__ = "webhook_receipts"

    webhook_id: Mapped[str] = mapped_column(String(256), primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(server_default=func.now(), index=True)
    response: Mapped[dict[str, Any] | None]
