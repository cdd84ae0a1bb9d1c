"""Contracts of payments: commands to the payments service, and the outcomes it reports back.

Amounts are integers in the currency's minor unit as the provider counts it
(KRW has none: 15000 means 15,000 won). `payment_id` is the gateway's id of the
payment and the provider's idempotency key: the same id is never charged twice.
"""

import dataclasses
from typing import Any, ClassVar

from shared.messages.base import Message
from shared.messages.reports import Report

PAYMENT_METHODS = ("kakaopay", "card", "bank_transfer")
PAYMENT_EVENT_TYPES = ("payment.paid", "payment.failed", "payment.refunded", "payment.refund_failed")


@dataclasses.dataclass(frozen=True, kw_only=True)
class ChargePayment(Message):
    """Charge `amount` for `payment_id` with `method`; the outcome comes back as a PaymentEvent."""

    TYPE: ClassVar[str] = "ChargePayment"
    EXCHANGE: ClassVar[str] = "payments"
    ROUTING_KEY: ClassVar[str] = "payment.charge"

    payment_id: str
    user_id: str
    amount: int
    currency: str
    method: str
    order_name: str
    requested_at: str
    card_number: str | None = None  # sandbox decline rules only; never a real card number


@dataclasses.dataclass(frozen=True, kw_only=True)
class RefundPayment(Message):
    """Refund a paid payment in full, with the user's reason."""

    TYPE: ClassVar[str] = "RefundPayment"
    EXCHANGE: ClassVar[str] = "payments"
    ROUTING_KEY: ClassVar[str] = "payment.refund"

    payment_id: str
    amount: int
    reason: str
    requested_at: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class PaidData:
    provider: str
    provider_transaction_id: str
    amount: int
    paid_at: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class RefundedData:
    provider_transaction_id: str
    amount: int
    cancelled_at: str
    reason: str  # the user's


@dataclasses.dataclass(frozen=True, kw_only=True)
class FailureData:
    """Why a charge or a refund failed: the provider's words, and a code (declined, provider_error, ...)."""

    reason: str
    code: str


# The `data` of each type of PaymentEvent.
PAYMENT_EVENT_DATA = {
    "payment.paid": PaidData,
    "payment.failed": FailureData,
    "payment.refunded": RefundedData,
    "payment.refund_failed": FailureData,
}


@dataclasses.dataclass(frozen=True, kw_only=True)
class PaymentEvent(Report):
    """An outcome at the provider, reported to the gateway by signed webhook (POST /api/webhooks/payments)."""

    TYPE: ClassVar[str] = "PaymentEvent"
    DATA: ClassVar[dict[str, type]] = PAYMENT_EVENT_DATA

    id: str  # unique per outcome, e.g. f"{payment_id}:paid"; the gateway applies each id once
    type: str
    payment_id: str
    occurred_at: str
    data: dict[str, Any] = dataclasses.field(default_factory=dict)  # as PAYMENT_EVENT_DATA[type] describes it
