"""The token wallet: packages for sale, each user's balance and its append-only ledger."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Identity, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gateway.platform.models import Base

TOKEN_TRANSACTION_TYPES = ("purchase", "spend", "refund", "grant", "earn")


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
