"""Applying the payments service's signed reports: paid, failed, refunded; each event once.

A payment only moves forward: pending -> paid | failed, paid -> cancelled (refunded).
A late or repeated report is answered `stale` or `duplicate` and changes nothing.
"""

from datetime import datetime
from typing import Any

from gateway.payments.models import Payment
from gateway.payments.service import KINDS, end_registration
from gateway.payments.store import PaymentStore
from gateway.platform.db import UnitOfWork
from gateway.platform.receipts import apply_once
from gateway.wallet import service as wallet

MOVES = {
    "payment.paid": ("pending", "paid"),
    "payment.failed": ("pending", "failed"),
    "payment.refunded": ("paid", "cancelled"),
    "payment.refund_failed": ("paid", "paid"),
}


def record_payment_events(uow: UnitOfWork, webhook_id: str, events: list[dict]) -> dict[str, Any]:
    """Apply `events` in order, once per webhook id; a replay gets the first answer back."""

    def apply(_session, now) -> dict:
        store = uow.store(PaymentStore)
        return {
            "results": [
                {"id": e["id"], "payment_id": str(e["payment_id"]), "result": _apply(uow, store, e, now)}
                for e in events
            ]
        }

    return apply_once(uow, webhook_id, "payments", apply)


def _apply(uow: UnitOfWork, store: PaymentStore, event: dict, now: datetime) -> str:
    payment = store.locked_payment(event["payment_id"])
    if payment is None:
        return "not_found"
    before, after = MOVES[event["type"]]
    if payment.status != before or (event["type"] == "payment.refund_failed" and payment.refund_requested_at is None):
        return "stale"
    data = event.get("data") or {}
    payment.status, payment.updated_at = after, now
    if event["type"] == "payment.paid":
        _paid(uow, store, payment, data, now)
    elif event["type"] == "payment.failed":
        _failed(store, payment, data, now)
    elif event["type"] == "payment.refunded":
        payment.cancelled_at = now
    else:  # refund_failed: the registration stays cancelled; an operator settles it with the provider
        payment.failure_reason = _reason(data)
        return "applied"
    facts = {"amount": payment.amount, "item_title": payment.item_title, "reason": payment.failure_reason}
    store.tell(payment.user_id, event["type"], facts, str(payment.id))
    return "applied"


def _paid(uow: UnitOfWork, store: PaymentStore, payment: Payment, data: dict, now: datetime) -> None:
    payment.paid_at = now
    payment.provider = data.get("provider")
    payment.provider_transaction_id = data.get("provider_transaction_id")
    if payment.target_type in ("token_package", "tokens"):
        ledger = wallet.ledger(uow)
        tokens = wallet.tokens_bought(ledger, payment)
        credited = wallet.credit(ledger, payment.user_id, tokens, str(payment.id), "purchase", payment.item_title)
        if credited.applied:
            store.tell(payment.user_id, "tokens.credited", {"tokens": tokens}, str(payment.id))


def _failed(store: PaymentStore, payment: Payment, data: dict, now: datetime) -> None:
    payment.failed_at, payment.failure_reason = now, _reason(data)
    if payment.target_type in KINDS:  # the seat is given back, so the user may apply again
        kind = KINDS[payment.target_type]
        registration = store.registration_paid_by(kind, payment.id)
        if registration is not None:
            end_registration(store, kind, registration, now)


def _reason(data: dict) -> str:
    reason, code = data.get("reason") or "declined", data.get("code")
    return (f"{reason} ({code})" if code else reason)[:500]
