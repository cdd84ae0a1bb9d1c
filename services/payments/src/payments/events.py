"""The PaymentEvents reported to the gateway, built from the record so a re-report says the same thing.

Event ids are deterministic per outcome (`<payment id>:paid`), so the gateway can tell a
re-report from news; the data fields are those documented in shared/messages/payments.py.
"""

from datetime import datetime

from payments.store import PaymentRecord, utcnow
from shared.messages import PaymentEvent


def _event(payment_id: str, suffix: str, kind: str, at: datetime, data: dict) -> PaymentEvent:
    return PaymentEvent(
        id=f"{payment_id}:{suffix}", type=kind, payment_id=payment_id, occurred_at=at.isoformat(), data=data
    )


def paid(record: PaymentRecord) -> PaymentEvent:
    data = {
        "provider": record.provider,
        "provider_transaction_id": record.provider_transaction_id,
        "amount": record.amount,
        "paid_at": record.paid_at.isoformat(),
    }
    return _event(record.payment_id, "paid", "payment.paid", record.paid_at, data)


def failed(payment_id: str, code: str, reason: str, at: datetime | None = None) -> PaymentEvent:
    return _event(payment_id, "failed", "payment.failed", at or utcnow(), {"reason": reason, "code": code})


def charge_outcome(record: PaymentRecord) -> PaymentEvent:
    """What became of the charge: paid (also when refunded since), or failed."""
    if record.state == "failed":
        return failed(record.payment_id, record.failure_code, record.failure_reason, record.failed_at)
    return paid(record)


def refunded(record: PaymentRecord) -> PaymentEvent:
    data = {
        "provider_transaction_id": record.provider_transaction_id,
        "amount": record.amount,
        "cancelled_at": record.refunded_at.isoformat(),
        "reason": record.refund_reason,
    }
    return _event(record.payment_id, "refunded", "payment.refunded", record.refunded_at, data)


def refund_failed(payment_id: str, request: str, code: str, reason: str, at: datetime | None = None) -> PaymentEvent:
    """One per refund request (its requested_at): a later request may still succeed."""
    data = {"reason": reason, "code": code}
    return _event(payment_id, f"refund_failed:{request}", "payment.refund_failed", at or utcnow(), data)
