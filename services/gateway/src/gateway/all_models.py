"""SQLAlchemy models: the gateway's store."""

from gateway.accounts.models import ROLES, ApiKey, RefreshToken, TokenRevocation, User
from gateway.careers.models import (
    Activity,
    CareerProfile,
    Education,
    Experience,
    FeedbackContent,
    Interview,
    InterviewTurn,
    JobPosting,
    Project,
    Qualification,
    Resume,
    ResumeFeedback,
    ResumeRewrite,
    StudyGuide,
    StudyItem,
    TechnologyStack,
)
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
    "Activity",
    "ApiKey",
    "Base",
    "CareerProfile",
    "Comment",
    "CommunityNotice",
    "Course",
    "CourseRegistration",
    "Education",
    "Exam",
    "Experience",
    "FeedbackContent",
    "Follow",
    "Generation",
    "GenerationLike",
    "IdempotencyRecord",
    "Interview",
    "InterviewTurn",
    "Job",
    "JobPosting",
    "JobStep",
    "Notification",
    "NotificationPreference",
    "OutboxMessage",
    "Payment",
    "Project",
    "Qualification",
    "RefreshToken",
    "Resume",
    "ResumeFeedback",
    "ResumeRewrite",
    "StudyGuide",
    "StudyItem",
    "Style",
    "TechnologyStack",
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
