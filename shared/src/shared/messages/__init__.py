"""Message contracts: small typed classes with a version field, one module per family."""

from shared.messages.base import Message, decode
from shared.messages.careers import BuildStudyGuide, CareersEvent, ReviewResume, RewriteResume, RunInterviewStep
from shared.messages.classroom import (
    ActivityLogged,
    AnalyzeHelpRequest,
    AnalyzeRecording,
    ClassroomEvent,
    SessionEvent,
)
from shared.messages.events import AccountClosed, DeliverWebhook, DomainEvent, NotifierReport, SessionRevoked
from shared.messages.jobs import JobEvent, RunJob
from shared.messages.payments import ChargePayment, PaymentEvent, RefundPayment
from shared.messages.styles import GenerateImage, TrainStyle

__all__ = [
    "AccountClosed",
    "ActivityLogged",
    "AnalyzeHelpRequest",
    "AnalyzeRecording",
    "BuildStudyGuide",
    "CareersEvent",
    "ChargePayment",
    "ClassroomEvent",
    "DeliverWebhook",
    "DomainEvent",
    "GenerateImage",
    "JobEvent",
    "Message",
    "NotifierReport",
    "PaymentEvent",
    "RefundPayment",
    "ReviewResume",
    "RewriteResume",
    "RunInterviewStep",
    "RunJob",
    "SessionEvent",
    "SessionRevoked",
    "TrainStyle",
    "decode",
]
