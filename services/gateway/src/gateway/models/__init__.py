"""SQLAlchemy models: the gateway's store."""

from gateway.models.accounts import ROLES, ApiKey, RefreshToken, TokenRevocation, User
from gateway.models.base import Base
from gateway.models.jobs import Job, JobStep
from gateway.models.outbox import OutboxMessage
from gateway.models.webhooks import WebhookReceipt

__all__ = [
    "ROLES",
    "ApiKey",
    "Base",
    "Job",
    "JobStep",
    "OutboxMessage",
    "RefreshToken",
    "TokenRevocation",
    "User",
    "WebhookReceipt",
]
