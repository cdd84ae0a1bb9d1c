"""The port every payment provider implements, its answers, and the errors it may raise.

The payment id is the idempotency key of every call: asked twice, a provider
answers with the outcome of the first call and moves no money the second time.
"""

import dataclasses
from datetime import datetime
from typing import Protocol


@dataclasses.dataclass(frozen=True)
class Charged:
    """The provider took the money."""

    transaction_id: str
    amount: int
    approved_at: datetime


@dataclasses.dataclass(frozen=True)
class Refunded:
    """The provider gave the money back."""

    amount: int
    cancelled_at: datetime


@dataclasses.dataclass(frozen=True)
class Declined:
    """The provider refused, for good: the card, the balance, the request. `code` is the provider's."""

    code: str
    message: str


ChargeResult = Charged | Declined
RefundResult = Refunded | Declined


class ProviderError(Exception):
    """No answer we can act on. `retryable`: the same call (same key) may succeed later."""

    retryable = True

    def __init__(self, message: str, code: str = "provider_error"):
        super().__init__(message)
        self.code = code


class TransientProviderError(ProviderError):
    """Timed out, a 5xx, a garbled answer, busy with the same key: retry with the same idempotency key."""


class MisconfiguredProviderError(ProviderError):
    """Bad credentials or a wrong URL: every payment would fail alike, so nothing is reported as failed."""

    retryable = False


class PaymentProvider(Protocol):
    """Charges and refunds, each idempotent by payment id."""

    name: str

    def charge(
        self,
        *,
        payment_id: str,
        amount: int,
        currency: str,
        method: str,
        order_name: str,
        card_number: str | None = None,
    ) -> ChargeResult: ...

    def refund(self, *, payment_id: str, provider_transaction_id: str, amount: int, reason: str) -> RefundResult: ...
