"""Contracts of the `events` exchange: domain events for the notifier, outbound webhook deliveries, revocations.

The gateway publishes every domain event through its outbox with the event's
type as routing key (`job.completed`, `payment.paid`, ...). It has already
decided, from the owner's preferences, what the notifier should do with it:
push it to connected clients (`realtime`), e-mail it (`email` is the address),
and, for each customer webhook endpoint subscribed to the type, one
DeliverWebhook command. When a session is revoked or an account closed, it
publishes SessionRevoked / AccountClosed the same way, so the push server
cuts the streams they cover on every replica.
"""

import dataclasses
from typing import Any, ClassVar

from shared.messages.base import Message
from shared.messages.reports import Report

EVENT_TYPES = (
    "job.processing",
    "job.completed",
    "job.failed",
    "payment.paid",
    "payment.failed",
    "payment.refunded",
    "tokens.credited",
    "training.completed",
    "training.failed",
    "generation.completed",
    "generation.failed",
    "generation.liked",  # the studio's community: someone liked, commented on your image; followed you
    "generation.commented",
    "user.followed",
    "endpoint.disabled",  # one of your customer webhook endpoints was switched off (410, or failing for days)
    "resume_feedback.completed",  # careers: the AI work on a résumé finished, or failed
    "resume_feedback.failed",
    "resume_rewrite.completed",
    "resume_rewrite.failed",
    "interview.completed",
    "interview.failed",
    "study_guide.completed",
    "study_guide.failed",
    "help_request.completed",  # classroom: the AI diagnosis of a learner's help request is ready, or failed
    "help_request.failed",
    "help_request.resolved",  # the instructor marked it resolved
    "recording_analysis.completed",  # a recording turned into its steps and hesitations, or not
    "recording_analysis.failed",
)
# What the notifier's queues bind to. Never `webhook.*`: that is the
# DeliverWebhook commands' routing key.
EVENT_ROUTING_PATTERNS = (
    "job.*",
    "payment.*",
    "tokens.*",
    "training.*",
    "generation.*",
    "user.*",
    "endpoint.*",
    "resume_feedback.*",
    "resume_rewrite.*",
    "interview.*",
    "study_guide.*",
    "help_request.*",
    "recording_analysis.*",
    "session.*",  # SessionRevoked, AccountClosed: the push server cuts the streams they cover
    "account.*",
    "classroom.*",  # SessionEvent: every replica fans it out to the session's sockets; notifier.events logs it
)
NOTIFIER_REPORT_TYPES = ("webhook.attempted", "endpoint.disabled")


@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainEvent(Message):
    """Something that happened to a user's resource; routed by its own `type`."""

    TYPE: ClassVar[str] = "DomainEvent"
    EXCHANGE: ClassVar[str] = "events"
    ROUTING_KEY: ClassVar[str] = "event"  # unused: see routing_key()

    id: str  # unique per event; the notifier's idempotency key
    type: str
    user_id: str
    occurred_at: str
    title: str  # rendered once by the gateway: the in-app notification, the push and the e-mail say the same
    body: str
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
    notification_id: str | None = None  # the in-app notification recorded with it, if the user wants those
    realtime: bool = True
    email: str | None = None  # where to e-mail it, if the user wants this type by e-mail

    def routing_key(self) -> str:
        return self.type


@dataclasses.dataclass(frozen=True, kw_only=True)
class DeliverWebhook(Message):
    """POST one event to one customer endpoint, signed with its secret (Standard Webhooks)."""

    TYPE: ClassVar[str] = "DeliverWebhook"
    EXCHANGE: ClassVar[str] = "events"
    ROUTING_KEY: ClassVar[str] = "webhook.deliver"

    delivery_id: str  # the `webhook-id` header on every attempt
    endpoint_id: str
    url: str
    secret: str  # whsec_...; the broker is internal (vhost-protected), never exposed
    event_id: str
    event_type: str
    payload: dict[str, Any]  # the JSON body to POST
    attempt: int = 1
    first_attempt_at: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class AttemptedData:
    """One attempt to deliver one event to one customer endpoint."""

    delivery_id: str
    event_id: str | None = None
    event_type: str | None = None
    attempt: int
    status_code: int | None = None  # null: no HTTP answer (timeout, refused, ...)
    latency_ms: int | None = None
    error: str | None = None
    outcome: str  # delivered | retrying | failed | gone
    next_attempt_in_ms: int | None = None  # when retrying
    next_attempt_at: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class DisabledData:
    reason: str | None = None  # why the endpoint was switched off (410 Gone, failing for days)


# The `data` of each type of NotifierReport.
NOTIFIER_REPORT_DATA = {"webhook.attempted": AttemptedData, "endpoint.disabled": DisabledData}


@dataclasses.dataclass(frozen=True, kw_only=True)
class NotifierReport(Report):
    """What happened to a delivery, reported to the gateway by signed webhook (POST /api/webhooks/notifier)."""

    TYPE: ClassVar[str] = "NotifierReport"
    DATA: ClassVar[dict[str, type]] = NOTIFIER_REPORT_DATA

    id: str  # e.g. f"{delivery_id}:{attempt}"; the gateway records each id once
    type: str  # NOTIFIER_REPORT_TYPES
    endpoint_id: str
    occurred_at: str
    data: dict[str, Any] = dataclasses.field(default_factory=dict)  # as NOTIFIER_REPORT_DATA[type] describes it


# Why a session ended: sign-out, a used refresh token presented again, the account's credentials reset (Google
# proved the e-mail of an account whose password nobody had proven).
REVOCATION_REASONS = ("signed_out", "refresh_token_reused", "credentials_reset")


@dataclasses.dataclass(frozen=True, kw_only=True)
class SessionRevoked(Message):
    """A session ended: no access token carrying its `sid` holds any more, and its open push streams close."""

    TYPE: ClassVar[str] = "SessionRevoked"
    EXCHANGE: ClassVar[str] = "events"
    ROUTING_KEY: ClassVar[str] = "session.revoked"

    user_id: str
    session_id: str  # the `sid` claim of every token of the session
    reason: str  # REVOCATION_REASONS
    revoked_at: str
    expires_at: str  # no access token of the session verifies after this (ISO 8601): remember it until then


@dataclasses.dataclass(frozen=True, kw_only=True)
class AccountClosed(Message):
    """An account was closed: none of its tokens holds any more, and all of its open push streams close."""

    TYPE: ClassVar[str] = "AccountClosed"
    EXCHANGE: ClassVar[str] = "events"
    ROUTING_KEY: ClassVar[str] = "account.closed"

    user_id: str
    closed_at: str
    expires_at: str  # no access token of the account verifies after this (ISO 8601)
