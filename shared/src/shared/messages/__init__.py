"""Message contracts: small typed classes with a version field, one module per family."""

from shared.messages.base import Message, decode
from shared.messages.jobs import JobEvent, RunJob
from shared.messages.payments import ChargePayment, PaymentEvent, RefundPayment

__all__ = ["ChargePayment", "JobEvent", "Message", "PaymentEvent", "RefundPayment", "RunJob", "decode"]
