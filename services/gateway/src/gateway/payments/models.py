"""Payments: one charge at the provider for one item."""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.platform.models import Base

PAYMENT_STATUSES = ("pending", "paid", "failed", "cancelled")
PAYMENT_TARGETS = ("test", "course", "token_package", "tokens")


class Payment(Base):
    """One charge at the provider for one item, with a snapshot of the item as it was paid for."""

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint(f"status IN {PAYMENT_STATUSES}", name="status"),
        CheckConstraint(f"target_type IN {PAYMENT_TARGETS}", name="target_type"),
        CheckConstraint("amount > 0", name="amount"),
        Index("ix_payments_user_created", "user_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[str] = mapped_column(String(64))
    item_title: Mapped[str] = mapped_column(String(200))
    item_price: Mapped[int]
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(String(3), default="KRW")
    method: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    provider: Mapped[str | None] = mapped_column(String(32))
    provider_transaction_id: Mapped[str | None] = mapped_column(String(200))
    failure_reason: Mapped[str | None] = mapped_column(String(500))
    refund_reason: Mapped[str | None] = mapped_column(String(500))
    refund_requested_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
