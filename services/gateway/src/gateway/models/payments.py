"""Payments, the token wallet's ledger, and stored answers for Idempotency-Key."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Identity, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models.base import Base

PAYMENT_STATUSES = ("pending", "paid", "failed", "cancelled")
PAYMENT_TARGETS = ("test", "course", "token_package", "tokens")
TOKEN_TRANSACTION_TYPES = ("purchase", "spend", "refund", "grant", "earn")


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


class TokenPackage(Base):
    """A bundle of style-studio tokens for sale."""

    __tablename__ = "token_packages"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    tokens: Mapped[int]
    bonus_tokens: Mapped[int] = mapped_column(default=0)
    price: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)


class TokenWallet(Base):
    """A user's balance: the running sum of their ledger, kept in the same transaction as each entry."""

    __tablename__ = "token_wallets"
    __table_args__ = (CheckConstraint("balance >= 0", name="balance"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    balance: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]


class TokenTransaction(Base):
    """One append-only ledger entry; (user, type, reference) makes every effect idempotent."""

    __tablename__ = "token_transactions"
    __table_args__ = (
        CheckConstraint(f"type IN {TOKEN_TRANSACTION_TYPES}", name="type"),
        CheckConstraint("amount <> 0", name="amount"),
        UniqueConstraint("user_id", "type", "reference"),
        Index("ix_token_transactions_user_id_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int]  # + credit, - debit
    balance_after: Mapped[int]
    reference: Mapped[str] = mapped_column(String(128))  # payment id, generation id, ...
    description: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]


class IdempotencyRecord(Base):
    """The stored answer to a POST made with an Idempotency-Key (IETF draft), per user and key."""

    __tablename__ = "idempotency_keys"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_fingerprint: Mapped[bytes] = mapped_column(LargeBinary)  # method, path and body, hashed
    status_code: Mapped[int | None]  # None while the first request is still running
    response_body: Mapped[dict[str, Any] | None]
    response_headers: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
