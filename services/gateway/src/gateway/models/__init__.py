"""SQLAlchemy models: the gateway's store."""

from gateway.models.accounts import ROLES, ApiKey, RefreshToken, TokenRevocation, User
from gateway.models.base import Base
from gateway.models.catalog import Course, CourseRegistration, Exam, TestRegistration
from gateway.models.community import Comment, CommunityNotice, Follow, GenerationLike
from gateway.models.jobs import Job, JobStep
from gateway.models.notifications import (
    Notification,
    NotificationPreference,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from gateway.models.outbox import OutboxMessage
from gateway.models.payments import (
    IdempotencyRecord,
    Payment,
    TokenPackage,
    TokenTransaction,
    TokenWallet,
)
from gateway.models.studio import Generation, Style
from gateway.models.webhooks import WebhookReceipt

__all__ = [
    "ROLES",
    "ApiKey",
    "Base",
    "Comment",
    "CommunityNotice",
    "Course",
    "CourseRegistration",
    "Exam",
    "Follow",
    "Generation",
    "GenerationLike",
    "IdempotencyRecord",
    "Job",
    "JobStep",
    "Notification",
    "NotificationPreference",
    "OutboxMessage",
    "Payment",
    "RefreshToken",
    "Style",
    "TestRegistration",
    "TokenPackage",
    "TokenRevocation",
    "TokenTransaction",
    "TokenWallet",
    "User",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookReceipt",
]
