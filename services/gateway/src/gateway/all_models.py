"""SQLAlchemy models: the gateway's store."""

from gateway.accounts.models import ROLES, ApiKey, RefreshToken, TokenRevocation, User
from gateway.catalog.models import Course, CourseRegistration, Exam, TestRegistration
from gateway.community.models import Comment, CommunityNotice, Follow, GenerationLike
from gateway.jobs.models import Job, JobStep
from gateway.notifications.models import (
    Notification,
    NotificationPreference,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from gateway.payments.models import Payment
from gateway.platform.idempotency_models import IdempotencyRecord
from gateway.platform.models import Base
from gateway.platform.outbox_models import OutboxMessage
from gateway.platform.receipt_models import WebhookReceipt
from gateway.studio.models import Generation, Style
from gateway.wallet.models import TokenPackage, TokenTransaction, TokenWallet

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
