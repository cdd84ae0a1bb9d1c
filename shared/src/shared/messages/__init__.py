"""Message contracts: small typed classes with a version field, one module per family."""

from shared.messages.base import Message, decode
from shared.messages.events import DeliverWebhook, DomainEvent, NotifierReport
from shared.messages.jobs import JobEvent, RunJob
from shared.messages.payments import ChargePayment, PaymentEvent, RefundPayment
from shared.messages.styles import GenerateImage, TrainStyle

__all__ = [
    "ChargePayment",
    "DeliverWebhook",
    "DomainEvent",
    "GenerateImage",
    "JobEvent",
    "Message",
    "NotifierReport",
    "PaymentEvent",
    "RefundPayment",
    "RunJob",
    "TrainStyle",
    "decode",
]
