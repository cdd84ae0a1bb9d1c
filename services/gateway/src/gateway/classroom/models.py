"""The live classroom: lectures of tasks and steps, live sessions and their participants, help requests, activity.

A session's state changes (status, current step, who joined, who finished what) are written here and leave
through the outbox as numbered session events (`class_sessions.event_seq`), so a client that reconnects gets the
state, then every event after it, in order.
"""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Identity, Index, String, Text, and_, case, select, text
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from gateway.platform.models import Base

TARGET_ACTIONS = ("CLICK", "LONG_CLICK", "SCROLL", "INPUT", "NAVIGATE", "SWIPE", "BACK", "HOME", "WAIT")
SESSION_STATUSES = ("WAITING", "IN_PROGRESS", "PAUSED", "ENDED", "REVIEW_MODE")
PARTICIPANT_STATUSES = ("WAITING", "ACTIVE", "COMPLETED", "DISCONNECTED")
HELP_STATUSES = ("PENDING", "ANALYZING", "RESOLVED")
WORK_STATUSES = ("queued", "processing", "retrying", "completed", "failed")  # the platform's vocabulary
RECORDING_STATUSES = ("RECORDING", "COMPLETED", "PROCESSING", "ANALYZED", "FAILED")


def _partial(name: str, *columns: str, where: str, unique: bool = False) -> Index:
    return Index(name, *columns, unique=unique, postgresql_where=text(where))


class Lecture(Base):
    """An instructor's lecture: an ordered list of tasks, each an ordered list of steps."""

    __tablename__ = "lectures"
    __table_args__ = (Index("ix_lectures_instructor", "instructor_id", text("created_at DESC")),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    instructor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    thumbnail_url: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]

    tasks: Mapped[list["LectureTask"]] = relationship(order_by="LectureTask.position", cascade="all, delete-orphan")


class Enrollment(Base):
    __tablename__ = "lecture_enrollments"
    __table_args__ = (Index("ix_lecture_enrollments_user", "user_id"),)

    lecture_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lectures.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    enrolled_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]


class LectureTask(Base):
    __tablename__ = "lecture_tasks"
    __table_args__ = (Index("ix_lecture_tasks_lecture", "lecture_id", "position"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    lecture_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lectures.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    steps: Mapped[list["LectureStep"]] = relationship(order_by="LectureStep.position", cascade="all, delete-orphan")


class LectureStep(Base):
    """One step of a task (the original's subtask): what the learner must do, and how to find it on screen."""

    __tablename__ = "lecture_steps"
    __table_args__ = (
        CheckConstraint(f"target_action IN {TARGET_ACTIONS}", name="target_action"),
        Index("ix_lecture_steps_task", "task_id", "position"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lecture_tasks.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    target_action: Mapped[str | None] = mapped_column(String(20))
    target_element_hint: Mapped[str | None] = mapped_column(Text)
    guide_text: Mapped[str | None] = mapped_column(Text)
    voice_guide_text: Mapped[str | None] = mapped_column(Text)
    target_package: Mapped[str | None] = mapped_column(String(255))
    target_view_id: Mapped[str | None] = mapped_column(String(255))
    target_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ClassSession(Base):
    """A live run of a lecture: learners join by `code`; the instructor moves everyone step by step."""

    __tablename__ = "class_sessions"
    __table_args__ = (
        CheckConstraint(f"status IN {SESSION_STATUSES}", name="status"),
        Index("uq_class_sessions_code", "code", unique=True),
        Index("ix_class_sessions_instructor", "instructor_id", "status"),
        Index("ix_class_sessions_lecture", "lecture_id", text("created_at DESC")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    lecture_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lectures.id", ondelete="CASCADE"))
    instructor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(255))
    code: Mapped[str] = mapped_column(String(6))  # from an alphabet without look-alikes
    status: Mapped[str] = mapped_column(String(16), default="WAITING")
    current_step_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lecture_steps.id", ondelete="SET NULL"))
    # how often the instructor moved everyone (start, each next-step): a participant follows the moves after theirs
    step_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    event_seq: Mapped[int] = mapped_column(BigInteger, default=0)  # the number of the session's last event
    scheduled_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


def follows(status: Any, own_step_seq: Any, step_seq: Any) -> Any:
    """Whether a participant is on their session's current step rather than their own: the session moved everyone
    (start, next-step) since the participant was last put on a step, and the participant follows such moves.

    Who follows: anyone who has not finished the lecture (WAITING learners exist only before the start, and the
    start moves them too); a learner who finishes is put on their own step as they do, so the moves after that
    pass them by, as they always did. This is what lets next-step write one row whatever the class's size.
    """
    return and_(status != "COMPLETED", own_step_seq < step_seq)


def participant_step_sql(p: str = "p", cs: str = "cs") -> str:
    """`follows` and Participant.current_step_id in SQL text, for participant `p` joined to its session `cs`."""
    return (
        f"CASE WHEN {p}.status <> 'COMPLETED' AND {p}.own_step_seq < {cs}.step_seq "
        f"THEN {cs}.current_step_id ELSE {p}.own_step_id END"
    )


class Participant(Base):
    """A learner in a session: a signed-in user, or a device that joined by code (one row each, however often)."""

    __tablename__ = "session_participants"
    __table_args__ = (
        CheckConstraint(f"status IN {PARTICIPANT_STATUSES}", name="status"),
        CheckConstraint("user_id IS NOT NULL OR device_id IS NOT NULL", name="who"),
        Index(
            "uq_session_participants_user",
            "session_id",
            "user_id",
            unique=True,
            postgresql_where=text("user_id IS NOT NULL"),
        ),
        Index(
            "uq_session_participants_device",
            "session_id",
            "device_id",
            unique=True,
            postgresql_where=text("device_id IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("class_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    device_id: Mapped[str | None] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default="WAITING")
    # The step the participant was put on (joining, waking, moving on their own, finishing) when the session's
    # step_seq was own_step_seq. Read current_step_id, never these alone (ParticipantStore.place writes them).
    own_step_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lecture_steps.id", ondelete="SET NULL"))
    own_step_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    joined_at: Mapped[datetime]
    last_active_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    # The step the participant is on, read with the row (and usable in a query); assigning it saves nothing.
    current_step_id: Mapped[uuid.UUID | None] = column_property(
        select(
            case(
                (follows(status, own_step_seq, ClassSession.step_seq), ClassSession.current_step_id),
                else_=own_step_id,
            )
        )
        .where(ClassSession.id == session_id)
        .correlate_except(ClassSession)
        .scalar_subquery()
    )


class StepProgress(Base):
    """A participant's progress on one step: when they started and finished it, how often they asked for help."""

    __tablename__ = "step_progress"

    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("session_participants.id", ondelete="CASCADE"), primary_key=True
    )
    step_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lecture_steps.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("class_sessions.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    help_count: Mapped[int] = mapped_column(default=0)


class SessionControl(Base):
    """What the instructor did in a session, in order (start, next-step, pause, resume, end, broadcast)."""

    __tablename__ = "session_controls"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("class_sessions.id", ondelete="CASCADE"), index=True)
    instructor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))
    step_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lecture_steps.id", ondelete="SET NULL"))
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class Screenshot(Base):
    __tablename__ = "session_screenshots"
    __table_args__ = (Index("ix_session_screenshots_latest", "session_id", "participant_id", text("created_at DESC")),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("class_sessions.id", ondelete="CASCADE"))
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("session_participants.id", ondelete="CASCADE"))
    step_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lecture_steps.id", ondelete="SET NULL"))
    key: Mapped[str] = mapped_column(String(512))  # the storage port's key
    content_type: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class HelpRequest(Base):
    """A learner stuck on a step; the llm-worker's analysis (`analysis_status`, platform vocabulary) diagnoses why."""

    __tablename__ = "help_requests"
    __table_args__ = (
        CheckConstraint(f"status IN {HELP_STATUSES}", name="status"),
        CheckConstraint(f"analysis_status IN {WORK_STATUSES}", name="analysis_status"),
        CheckConstraint("feedback_rating BETWEEN 1 AND 5", name="rating"),
        Index(
            "ix_help_requests_session_pending",
            "session_id",
            "created_at",
            postgresql_where=text("status <> 'RESOLVED'"),
        ),
        Index("ix_help_requests_lecture", "lecture_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("class_sessions.id", ondelete="SET NULL"))
    lecture_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lectures.id", ondelete="SET NULL"))
    step_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lecture_steps.id", ondelete="SET NULL"))
    participant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("session_participants.id", ondelete="SET NULL"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    request_type: Mapped[str] = mapped_column(String(10), default="MANUAL")  # MANUAL or AUTO
    context: Mapped[dict[str, Any]]  # recent activity, error message, screenshot key
    status: Mapped[str] = mapped_column(String(16), default="PENDING")
    analysis_status: Mapped[str] = mapped_column(String(16), default="queued")
    analysis: Mapped[dict[str, Any] | None]  # problem_diagnosis, step_by_step_solution, ... (schema-checked)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(64))
    provider: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(128))
    feedback_rating: Mapped[int | None]
    feedback_text: Mapped[str | None] = mapped_column(Text)
    feedback_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_event_at: Mapped[datetime | None]


class ActivityLog(Base):
    """One event a learner's app reported (stored in batches from the `classroom.activity` stream)."""

    __tablename__ = "activity_logs"
    __table_args__ = (
        Index("ix_activity_logs_session", "session_id", "occurred_at"),
        Index(
            "ix_activity_logs_recording",
            "recording_id",
            "occurred_at",
            postgresql_where=text("recording_id IS NOT NULL"),
        ),
        Index("uq_activity_logs_event", "event_id", unique=True),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    event_id: Mapped[uuid.UUID]  # given when accepted: a redelivered batch stores nothing twice
    session_id: Mapped[uuid.UUID | None]  # no foreign keys: the log outlives what it mentions, and inserts stay cheap
    participant_id: Mapped[uuid.UUID | None]
    user_id: Mapped[uuid.UUID | None]
    lecture_id: Mapped[uuid.UUID | None]
    step_id: Mapped[uuid.UUID | None]
    recording_id: Mapped[uuid.UUID | None]
    device_id: Mapped[str | None] = mapped_column(String(100))
    event_type: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime]  # the app's own timestamp
    received_at: Mapped[datetime]
    package: Mapped[str | None] = mapped_column(String(255))
    screen: Mapped[str | None] = mapped_column(String(255))
    element: Mapped[str | None] = mapped_column(String(255))
    text: Mapped[str | None] = mapped_column(Text)
    x: Mapped[int | None]
    y: Mapped[int | None]
    data: Mapped[dict[str, Any] | None]


class Recording(Base):
    """A learner's (or instructor's) recorded run of an app; its analysis turns it into steps and hesitations."""

    __tablename__ = "recordings"
    __table_args__ = (
        CheckConstraint(f"status IN {RECORDING_STATUSES}", name="status"),
        CheckConstraint(f"analysis_status IN {WORK_STATUSES}", name="analysis_status"),  # null until asked
        Index("ix_recordings_owner", "owner_id", text("created_at DESC")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lecture_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("lectures.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="RECORDING")
    event_count: Mapped[int] = mapped_column(default=0)
    analysis: Mapped[dict[str, Any] | None]  # the steps taken and where the user hesitated
    analysis_status: Mapped[str | None] = mapped_column(String(16))  # the platform's vocabulary (migration 0015)
    provider: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(128))
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime]
    stopped_at: Mapped[datetime | None]
    analyzed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_event_at: Mapped[datetime | None]


class RecordingEvent(Base):
    """One event of a recording, with the time it happened on the device (saved in batches)."""

    __tablename__ = "recording_events"

    recording_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("recordings.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)  # the order the app sent them in
    event_type: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime]
    package: Mapped[str | None] = mapped_column(String(255))
    screen: Mapped[str | None] = mapped_column(String(255))
    element: Mapped[str | None] = mapped_column(String(255))
    text: Mapped[str | None] = mapped_column(Text)
    x: Mapped[int | None]
    y: Mapped[int | None]
    data: Mapped[dict[str, Any] | None]
