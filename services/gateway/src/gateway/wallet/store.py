"""The wallet's SQL: the ledger, the balance beside it, the packages; over one transaction's session."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text

from gateway.platform.outbox import add_message
from gateway.wallet.models import TokenPackage, TokenTransaction, TokenWallet
from shared.messages import Message

LEDGER_INSERT = text(
    "INSERT INTO token_transactions (user_id, type, amount, balance_after, reference, description, created_at) "
    "VALUES (:user, :type, :amount, 0, :reference, :description, :now) "
    "ON CONFLICT (user_id, type, reference) DO NOTHING RETURNING id"
)
CREDIT = text(
    "INSERT INTO token_wallets (user_id, balance, updated_at) VALUES (:user, :amount, :now) "
    "ON CONFLICT (user_id) DO UPDATE SET balance = token_wallets.balance + :amount, updated_at = :now "
    "RETURNING balance"
)
DEBIT = text(
    "UPDATE token_wallets SET balance = balance - :amount, updated_at = :now "
    "WHERE user_id = :user AND balance >= :amount RETURNING balance"
)
SET_BALANCE_AFTER = text("UPDATE token_transactions SET balance_after = :balance WHERE id = :id")


@dataclass(frozen=True)
class Package:
    """A token package for sale."""

    id: str
    name: str
    tokens: int
    bonus_tokens: int
    price: int
    active: bool = True


@dataclass(frozen=True)
class Entry:
    """One ledger entry."""

    id: int
    user_id: uuid.UUID
    type: str
    amount: int
    balance_after: int
    reference: str
    description: str
    created_at: datetime


def _package(row: TokenPackage) -> Package:
    return Package(row.id, row.name, row.tokens, row.bonus_tokens, row.price, row.active)


def _entry(row: TokenTransaction) -> Entry:
    return Entry(
        row.id, row.user_id, row.type, row.amount, row.balance_after, row.reference, row.description, row.created_at
    )


class WalletStore:
    """Plain methods over the wallet's tables, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def add_entry(
        self, user_id: uuid.UUID, kind: str, amount: int, reference: str, description: str, now: datetime
    ) -> int | None:
        """The new entry's id, or None when (user, kind, reference) is already in the ledger."""
        params = {"user": user_id, "type": kind, "amount": amount, "reference": reference}
        return self._session.execute(LEDGER_INSERT, params | {"description": description, "now": now}).scalar()

    def add_to_balance(self, user_id: uuid.UUID, amount: int, now: datetime) -> int:
        """The balance after adding `amount` (the wallet is made on first credit)."""
        return self._session.execute(CREDIT, {"user": user_id, "amount": amount, "now": now}).scalar_one()

    def take_from_balance(self, user_id: uuid.UUID, amount: int, now: datetime) -> int | None:
        """The balance after taking `amount`, or None (nothing taken) when the balance is short."""
        return self._session.execute(DEBIT, {"user": user_id, "amount": amount, "now": now}).scalar()

    def set_balance_after(self, entry_id: int, balance: int) -> None:
        self._session.execute(SET_BALANCE_AFTER, {"balance": balance, "id": entry_id})

    def spent_on(self, user_id: uuid.UUID, work_id: str) -> int | None:
        """The (negative) amount spent on a piece of work, or None if nothing was."""
        return self._session.scalar(
            select(TokenTransaction.amount).where(
                TokenTransaction.user_id == user_id,
                TokenTransaction.type == "spend",
                TokenTransaction.reference == work_id,
            )
        )

    def balance(self, user_id: uuid.UUID) -> int:
        return self._session.scalar(select(TokenWallet.balance).where(TokenWallet.user_id == user_id)) or 0

    def active_packages(self) -> list[Package]:
        query = select(TokenPackage).where(TokenPackage.active).order_by(TokenPackage.price)
        return [_package(row) for row in self._session.scalars(query)]

    def package(self, package_id: str) -> Package | None:
        row = self._session.get(TokenPackage, package_id)
        return None if row is None else _package(row)

    def entries(self, user_id: uuid.UUID, limit: int, before_id: int | None, kind: str | None) -> list[Entry]:
        """A user's entries, newest first, below `before_id` and of `kind` when given."""
        query = select(TokenTransaction).where(TokenTransaction.user_id == user_id)
        if before_id is not None:
            query = query.where(TokenTransaction.id < before_id)
        if kind:
            query = query.where(TokenTransaction.type == kind)
        return [_entry(row) for row in self._session.scalars(query.order_by(TokenTransaction.id.desc()).limit(limit))]

    def add_payment(self, payment) -> None:
        """Record a new payment (written now, so its outbox message follows it)."""
        self._session.add(payment)
        self._session.flush()

    def add_message(self, message: Message) -> None:
        add_message(self._session, message)
