"""The token wallet: an append-only ledger and the balance kept beside it, never negative.

Every effect is keyed: (user, type, reference) is unique in the ledger, so
crediting a payment, spending for a piece of work or refunding that work
happens once however often it is asked for. The balance row is updated in the
same transaction as its ledger entry, with a `balance >= n` guard that makes
concurrent spends queue on the row and fail cleanly when it runs out.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, text

from gateway.payments.models import Payment
from gateway.payments.service import charge_command, new_payment
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import NotFound, PaymentRequired
from gateway.platform.outbox import add_message
from gateway.wallet.models import TokenPackage, TokenTransaction, TokenWallet

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
class LedgerResult:
    applied: bool  # False: this reference was already applied earlier (nothing changed now)
    balance: int


def credit(session, user_id: uuid.UUID, amount: int, reference: str, kind: str, description: str) -> LedgerResult:
    """Add `amount` tokens once per (kind, reference): a purchase, a refund, a grant."""
    now = datetime.now(UTC)
    params = {"user": user_id, "amount": amount, "reference": reference, "type": kind, "now": now}
    entry = session.execute(LEDGER_INSERT, params | {"description": description}).scalar()
    if entry is None:
        return LedgerResult(False, balance(session, user_id))
    new_balance = session.execute(CREDIT, params).scalar_one()
    session.execute(SET_BALANCE_AFTER, {"balance": new_balance, "id": entry})
    return LedgerResult(True, new_balance)


def spend(session, user_id: uuid.UUID, amount: int, work_id: str, description: str) -> LedgerResult:
    """Take `amount` tokens for a piece of work, once per work id; PaymentRequired when the balance is short.

    Call inside the transaction that records the work, so both commit or neither does.
    """
    now = datetime.now(UTC)
    params = {"user": user_id, "amount": -amount, "reference": work_id, "type": "spend", "now": now}
    entry = session.execute(LEDGER_INSERT, params | {"description": description}).scalar()
    if entry is None:
        return LedgerResult(False, balance(session, user_id))
    new_balance = session.execute(DEBIT, {"user": user_id, "amount": amount, "now": now}).scalar()
    if new_balance is None:
        have = balance(session, user_id)
        raise PaymentRequired(f"This needs {amount} tokens; the balance is {have}. Buy tokens at /api/tokens/purchase.")
    session.execute(SET_BALANCE_AFTER, {"balance": new_balance, "id": entry})
    return LedgerResult(True, new_balance)


def refund(session, user_id: uuid.UUID, work_id: str, description: str) -> LedgerResult:
    """Give back what was spent for a piece of work that failed; once, and only if something was spent."""
    spent = session.scalar(
        select(TokenTransaction.amount).where(
            TokenTransaction.user_id == user_id, TokenTransaction.type == "spend", TokenTransaction.reference == work_id
        )
    )
    if spent is None:
        return LedgerResult(False, balance(session, user_id))
    return credit(session, user_id, -spent, work_id, "refund", description)


def balance(session, user_id: uuid.UUID) -> int:
    return session.scalar(select(TokenWallet.balance).where(TokenWallet.user_id == user_id)) or 0


def spend_for_work(uow: UnitOfWork, user_id: uuid.UUID, amount: int, work_id: str, description: str) -> LedgerResult:
    """`spend` in a transaction of its own (for callers that record the work separately)."""
    with uow as session:
        result = spend(session, user_id, amount, work_id, description)
        uow.commit()
        return result


def refund_work(uow: UnitOfWork, user_id: uuid.UUID, work_id: str, description: str) -> LedgerResult:
    with uow as session:
        result = refund(session, user_id, work_id, description)
        uow.commit()
        return result


def get_balance(uow: UnitOfWork, user_id: uuid.UUID) -> int:
    with uow as session:
        return balance(session, user_id)


def list_packages(uow: UnitOfWork) -> list[TokenPackage]:
    with uow as session:
        return list(session.scalars(select(TokenPackage).where(TokenPackage.active).order_by(TokenPackage.price)))


def list_transactions(
    uow: UnitOfWork, user_id: uuid.UUID, limit: int, before_id: int | None, kind: str | None
) -> list[TokenTransaction]:
    """Newest first; `before_id` is the cursor (the last id of the previous page)."""
    query = select(TokenTransaction).where(TokenTransaction.user_id == user_id)
    if before_id is not None:
        query = query.where(TokenTransaction.id < before_id)
    if kind:
        query = query.where(TokenTransaction.type == kind)
    with uow as session:
        return list(session.scalars(query.order_by(TokenTransaction.id.desc()).limit(limit)))


def purchase(
    uow: UnitOfWork, user_id: uuid.UUID, package_id: str | None, tokens: int | None, method: str, price_per_token: int
) -> Payment:
    """A pending payment for a package or for `tokens` (a multiple of 100); tokens are credited when it is paid."""
    now = datetime.now(UTC)
    with uow as session:
        if package_id is not None:
            package = session.get(TokenPackage, package_id)
            if package is None or not package.active:
                raise NotFound(f"no token package '{package_id[:64]}' (see /api/tokens/packages)")
            payment = new_payment(user_id, "token_package", package.id, package.name, package.price, method, now)
        else:
            title = f"{tokens} tokens"
            payment = new_payment(user_id, "tokens", str(tokens), title, tokens * price_per_token, method, now)
        session.add(payment)
        session.flush()
        add_message(session, charge_command(payment, now))
        uow.commit()
        return payment


def tokens_bought(session, payment: Payment) -> int:
    """How many tokens a paid token payment credits."""
    if payment.target_type == "tokens":
        return int(payment.target_id)
    package = session.get(TokenPackage, payment.target_id)
    return package.tokens + package.bonus_tokens
