"""Applying the payments service's signed reports: paid, failed, refunded; each event once.

A payment only moves forward: pending -> paid | failed, paid -> cancelled (refunded).
A late or repeated report is answered `stale` or `duplicate` and changes nothing.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import select

from gateway.notifications.events import publish_event
from gateway.payments.models import Payment
from gateway.payments.service import KINDS, end_registration
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

    def apply(session, now) -> dict:
        return {
            "results": [
                {"id": e["id"], "payment_id": str(e["payment_id"]), "result": _apply(session, e, now)} for e in events
            ]
        }

    return apply_once(uow, webhook_id, "payments", apply)


def _apply(session, event: dict, now: datetime) -> str:
    payment = session.scalars(select(Payment).where(Payment.id == event["payment_id"]).with_for_update()).first()
    if payment is None:
        return "not_found"
    before, after = MOVES[event["type"]]
    if payment.status != before or (event["type"] == "payment.refund_failed" and payment.refund_requested_at is None):
        return "stale"
    data = event.get("data") or {}
    payment.status, payment.updated_at = after, now
    handler = {"payment.paid": _paid, "payment.failed": _failed, "payment.refunded": _refunded}.get(event["type"])
    if handler:
        handler(session, payment, data, now)
        facts = {"amount": payment.amount, "item_title": payment.item_title, "reason": payment.failure_reason}
        publish_event(session, payment.user_id, event["type"], facts, str(payment.id))
    else:  # refund_failed: the registration stays cancelled; an operator settles it with the provider
        payment.failure_reason = _reason(data)
    return "applied"


def _paid(session, payment: Payment, data: dict, now: datetime) -> None:
    payment.paid_at = now
    payment.provider = data.get("provider")
    payment.provider_transaction_id = data.get("provider_transaction_id")
    if payment.target_type in ("token_package", "tokens"):
        ledger = wallet.store(session)
        tokens = wallet.tokens_bought(ledger, payment)
        credited = wallet.credit(ledger, payment.user_id, tokens, str(payment.id), "purchase", payment.item_title)
        if credited.applied:
            publish_event(session, payment.user_id, "tokens.credited", {"tokens": tokens}, str(payment.id))


def _failed(session, payment: Payment, data: dict, now: datetime) -> None:
    payment.failed_at, payment.failure_reason = now, _reason(data)
    if payment.target_type in KINDS:  # the seat is given back, so the user may apply again
        kind = KINDS[payment.target_type]
        model = kind.registration
        registration = session.scalars(select(model).where(model.payment_id == payment.id).with_for_update()).first()
        if registration is not None:
            end_registration(session, kind, registration, now)


def _refunded(session, payment: Payment, data: dict, now: datetime) -> None:
    payment.cancelled_at = now


def _reason(data: dict) -> str:
    reason, code = data.get("reason") or "declined", data.get("code")
    return (f"{reason} ({code})" if code else reason)[:500]
