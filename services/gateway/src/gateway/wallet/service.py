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

from gateway.payments.models import Payment
from gateway.payments.service import charge_command, new_payment
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import NotFound, PaymentRequired
from gateway.wallet.store import Entry, Package, WalletStore


@dataclass(frozen=True)
class LedgerResult:
    applied: bool  # False: this reference was already applied earlier (nothing changed now)
    balance: int


def store(session) -> WalletStore:
    """The wallet's store inside another line's open transaction (for `credit`, `spend`, `refund`)."""
    return WalletStore(session)


def ledger(uow: UnitOfWork) -> WalletStore:
    """The wallet's store inside another line's open unit of work (for `credit`, `spend`, `refund`)."""
    return uow.store(WalletStore)


def credit(
    wallet: WalletStore, user_id: uuid.UUID, amount: int, reference: str, kind: str, description: str
) -> LedgerResult:
    """Add `amount` tokens once per (kind, reference): a purchase, a refund, a grant."""
    now = datetime.now(UTC)
    entry = wallet.add_entry(user_id, kind, amount, reference, description, now)
    if entry is None:
        return LedgerResult(False, wallet.balance(user_id))
    new_balance = wallet.add_to_balance(user_id, amount, now)
    wallet.set_balance_after(entry, new_balance)
    return LedgerResult(True, new_balance)


def spend(wallet: WalletStore, user_id: uuid.UUID, amount: int, work_id: str, description: str) -> LedgerResult:
    """Take `amount` tokens for a piece of work, once per work id; PaymentRequired when the balance is short.

    Call inside the transaction that records the work, so both commit or neither does.
    """
    now = datetime.now(UTC)
    entry = wallet.add_entry(user_id, "spend", -amount, work_id, description, now)
    if entry is None:
        return LedgerResult(False, wallet.balance(user_id))
    new_balance = wallet.take_from_balance(user_id, amount, now)
    if new_balance is None:
        have = wallet.balance(user_id)
        raise PaymentRequired(f"This needs {amount} tokens; the balance is {have}. Buy tokens at /api/tokens/purchase.")
    wallet.set_balance_after(entry, new_balance)
    return LedgerResult(True, new_balance)


def refund(wallet: WalletStore, user_id: uuid.UUID, work_id: str, description: str) -> LedgerResult:
    """Give back what was spent for a piece of work that failed; once, and only if something was spent."""
    spent = wallet.spent_on(user_id, work_id)
    if spent is None:
        return LedgerResult(False, wallet.balance(user_id))
    return credit(wallet, user_id, -spent, work_id, "refund", description)


def grant(uow: UnitOfWork, user_id: uuid.UUID, amount: int, reference: str, description: str) -> LedgerResult:
    """`credit` a grant in a transaction of its own (tests, seeders, an operator's gift)."""
    with uow:
        result = credit(uow.store(WalletStore), user_id, amount, reference, "grant", description)
        uow.commit()
        return result


def spend_for_work(uow: UnitOfWork, user_id: uuid.UUID, amount: int, work_id: str, description: str) -> LedgerResult:
    """`spend` in a transaction of its own (for callers that record the work separately)."""
    with uow:
        result = spend(uow.store(WalletStore), user_id, amount, work_id, description)
        uow.commit()
        return result


def refund_work(uow: UnitOfWork, user_id: uuid.UUID, work_id: str, description: str) -> LedgerResult:
    with uow:
        result = refund(uow.store(WalletStore), user_id, work_id, description)
        uow.commit()
        return result


def get_balance(uow: UnitOfWork, user_id: uuid.UUID) -> int:
    with uow:
        return uow.store(WalletStore).balance(user_id)


def list_packages(uow: UnitOfWork) -> list[Package]:
    with uow:
        return uow.store(WalletStore).active_packages()


def list_transactions(
    uow: UnitOfWork, user_id: uuid.UUID, limit: int, before_id: int | None, kind: str | None
) -> list[Entry]:
    """Newest first; `before_id` is the cursor (the last id of the previous page)."""
    with uow:
        return uow.store(WalletStore).entries(user_id, limit, before_id, kind)


def purchase(
    uow: UnitOfWork, user_id: uuid.UUID, package_id: str | None, tokens: int | None, method: str, price_per_token: int
) -> Payment:
    """A pending payment for a package or for `tokens` (a multiple of 100); tokens are credited when it is paid."""
    now = datetime.now(UTC)
    with uow:
        wallet = uow.store(WalletStore)
        if package_id is not None:
            package = wallet.package(package_id)
            if package is None or not package.active:
                raise NotFound(f"no token package '{package_id[:64]}' (see /api/tokens/packages)")
            payment = new_payment(user_id, "token_package", package.id, package.name, package.price, method, now)
        else:
            title = f"{tokens} tokens"
            payment = new_payment(user_id, "tokens", str(tokens), title, tokens * price_per_token, method, now)
        wallet.add_payment(payment)
        wallet.add_message(charge_command(payment, now))
        uow.commit()
        return payment


def tokens_bought(wallet: WalletStore, payment: Payment) -> int:
    """How many tokens a paid token payment credits."""
    if payment.target_type == "tokens":
        return int(payment.target_id)
    package = wallet.package(payment.target_id)
    return package.tokens + package.bonus_tokens
