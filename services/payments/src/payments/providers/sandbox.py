"""The `sandbox` provider: the offline default, deterministic, with decline rules to show failures.

Rules (configurable, see .env.example):

* a card number in SANDBOX_DECLINE_CARD_NUMBERS (default 4000000000000002) is declined: `card_declined`;
* an amount whose decimal digits end in SANDBOX_DECLINE_AMOUNT_SUFFIX (default "13": 15013 won) is
  declined: `insufficient_funds`; this one works from the API, which sends no card number;
* a card number in SANDBOX_ERROR_CARD_NUMBERS (default 4000000000000119) gets a transient processing
  error on every call, which shows the retry ladder ending in the `.dead` queue.

Its books live in the service's own database (`sandbox_charges`), keyed by the idempotency key, so a
second call with the same payment id, from any replica, before or after a restart, gets the first
call's answer and charges nothing.
"""

import dataclasses
import uuid
from collections.abc import Iterable

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects.postgresql import insert

from payments.providers.base import Charged, ChargeResult, Declined, Refunded, RefundResult, TransientProviderError
from payments.store import utcnow
from payments.tables import sandbox_charges


def card_digits(card_number: str | None) -> str:
    """The digits of a card number as typed ("4000 0000-0000 0002" -> "4000000000000002")."""
    return "".join(ch for ch in card_number or "" if ch.isdigit())


@dataclasses.dataclass(frozen=True)
class SandboxRules:
    """Which charges the sandbox refuses, or fails to process."""

    decline_card_numbers: frozenset[str] = frozenset({"4000000000000002"})
    decline_amount_suffix: str = "13"
    error_card_numbers: frozenset[str] = frozenset({"4000000000000119"})

    @classmethod
    def of(cls, decline_cards: Iterable[str], amount_suffix: str, error_cards: Iterable[str]) -> "SandboxRules":
        return cls(
            frozenset(card_digits(c) for c in decline_cards if card_digits(c)),
            amount_suffix.strip(),
            frozenset(card_digits(c) for c in error_cards if card_digits(c)),
        )

    def verdict(self, amount: int, card_number: str | None) -> Declined | None:
        """The decline for this charge, or None to approve it; raises for the error cards."""
        card = card_digits(card_number)
        if card and card in self.error_card_numbers:
            raise TransientProviderError("sandbox: processing error (error test card)", code="processing_error")
        if card and card in self.decline_card_numbers:
            return Declined("card_declined", "The card was declined (sandbox decline test card).")
        if self.decline_amount_suffix and str(amount).endswith(self.decline_amount_suffix):
            suffix = self.decline_amount_suffix
            return Declined("insufficient_funds", f"Insufficient funds (sandbox: amounts ending in {suffix}).")
        return None


class SandboxProvider:
    """Approves or declines by the rules; one row per idempotency key in Postgres."""

    name = "sandbox"

    def __init__(self, engine: Engine, rules: SandboxRules | None = None):
        self._engine = engine
        self.rules = rules or SandboxRules()

    def charge(
        self,
        *,
        payment_id: str,
        amount: int,
        currency: str,
        method: str,
        order_name: str,
        card_number: str | None = None,
    ) -> ChargeResult:
        """Decide once per key; every later call with the key reads that decision back."""
        declined = self.rules.verdict(amount, card_number)
        row = {
            "idempotency_key": payment_id,
            "transaction_id": f"sbx_{uuid.uuid4().hex}",
            "amount": amount,
            "currency": currency,
            "status": "declined" if declined else "paid",
            "decline_code": declined.code if declined else None,
            "decline_message": declined.message if declined else None,
            "created_at": utcnow(),
        }
        statement = (
            insert(sandbox_charges)
            .values(row)
            .on_conflict_do_update(
                index_elements=[sandbox_charges.c.idempotency_key],
                set_={"requests": sandbox_charges.c.requests + 1},
            )
            .returning(sandbox_charges)
        )
        with self._engine.begin() as conn:
            stored = conn.execute(statement).one()
        if (stored.amount, stored.currency) != (amount, currency):
            return Declined("idempotency_key_reused", "This payment id was charged with another amount.")
        if stored.status == "declined":
            return Declined(stored.decline_code, stored.decline_message)
        return Charged(stored.transaction_id, stored.amount, stored.created_at)

    def refund(self, *, payment_id: str, provider_transaction_id: str, amount: int, reason: str) -> RefundResult:
        """Cancel the charge in full; a cancelled charge answers as refunded again."""
        key = sandbox_charges.c.idempotency_key
        with self._engine.begin() as conn:
            charge = conn.execute(select(sandbox_charges).where(key == payment_id).with_for_update()).first()
            if charge is None or charge.transaction_id != provider_transaction_id:
                return Declined("not_found_payment", "No such charge at the sandbox.")
            if charge.status == "cancelled":
                return Refunded(charge.amount, charge.cancelled_at)
            if charge.status != "paid":
                return Declined("not_cancelable_payment", "The charge was declined; there is nothing to refund.")
            if amount != charge.amount:
                return Declined("invalid_cancel_amount", "Only a full refund is supported.")
            now = utcnow()
            conn.execute(
                update(sandbox_charges)
                .where(key == payment_id)
                .values(status="cancelled", cancelled_at=now, cancel_reason=reason)
            )
        return Refunded(charge.amount, now)
