"""SQLAlchemy models: the gateway's store."""

from gateway.models.base import Base
from gateway.models.jobs import Job, JobStep
from gateway.models.outbox import OutboxMessage
from gateway.models.webhooks import WebhookReceipt

__all__ = ["Base", "Job", "JobStep", "OutboxMessage", "WebhookReceipt"]
