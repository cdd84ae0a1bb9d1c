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
from gateway.classroom.activity_models import ActivityStepTotal
from gateway.classroom.models import (
    ActivityLog,
    ClassSession,
    Enrollment,
    HelpRequest,
    Lecture,
    LectureStep,
    LectureTask,
    Participant,
    Recording,
    RecordingEvent,
    Screenshot,
    SessionControl,
    StepProgress,
)
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
from gateway.platform.stream_models import StreamOffset
from gateway.studio.models import Generation, Style
from gateway.wallet.models import TokenPackage, TokenTransaction, TokenWallet

__all__ = [
    "ROLES",
    "Activity",
    "ActivityLog",
    "ActivityStepTotal",
    "ApiKey",
    "Base",
    "CareerProfile",
    "ClassSession",
    "Comment",
    "CommunityNotice",
    "Course",
    "CourseRegistration",
    "Education",
    "Enrollment",
    "Exam",
    "Experience",
    "FeedbackContent",
    "Follow",
    "Generation",
    "GenerationLike",
    "HelpRequest",
    "IdempotencyRecord",
    "Interview",
    "InterviewTurn",
    "Job",
    "JobPosting",
    "JobStep",
    "Lecture",
    "LectureStep",
    "LectureTask",
    "Notification",
    "NotificationPreference",
    "OutboxMessage",
    "Participant",
    "Payment",
    "Project",
    "Qualification",
    "Recording",
    "RecordingEvent",
    "RefreshToken",
    "Resume",
    "ResumeFeedback",
    "ResumeRewrite",
    "Screenshot",
    "SessionControl",
    "StepProgress",
    "StreamOffset",
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
