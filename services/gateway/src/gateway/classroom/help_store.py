"""The help requests' SQL inside a transaction: the session or lecture a request is about and its step, the
learner's latest activity, the request itself (locked for a change), and the pending ones of an instructor."""

import uuid
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import aliased

from gateway.classroom.models import (
    ActivityLog,
    ClassSession,
    Enrollment,
    HelpRequest,
    Lecture,
    LectureStep,
    LectureTask,
    Participant,
    Screenshot,
    StepProgress,
)
from gateway.notifications.events import publish_event
from gateway.platform.outbox import add_message
from shared.messages import Message

ACTIVITY_FIELDS = ("event_type", "occurred_at", "package", "screen", "element", "text", "x", "y")
SessionOfRequest = aliased(ClassSession)


class Owners(NamedTuple):
    """Who a help request belongs to: its requester (a user, a participant) and the instructor who may resolve it."""

    user_id: uuid.UUID | None
    participant_id: uuid.UUID | None
    instructor_id: uuid.UUID | None


class HelpStore:
    """Plain methods over help requests and what they are about, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def session(self, session_id: uuid.UUID, lock: bool = False) -> ClassSession | None:
        """The session; `lock` takes its row lock first, as every writer to a session does (no deadlock)."""
        query = select(ClassSession).where(ClassSession.id == session_id)
        return self._session.scalars(query.with_for_update() if lock else query).first()

    def live_lecture(self, lecture_id: uuid.UUID) -> Lecture | None:
        query = select(Lecture).where(Lecture.id == lecture_id, Lecture.deleted_at.is_(None))
        return self._session.scalars(query).first()

    def enrolled(self, lecture_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        query = select(Enrollment.user_id).where(Enrollment.lecture_id == lecture_id, Enrollment.user_id == user_id)
        return self._session.scalar(query) is not None

    def step(self, step_id: uuid.UUID, lecture_id: uuid.UUID) -> LectureStep | None:
        """The step if it is one of the lecture's, else None."""
        query = (
            select(LectureStep)
            .join(LectureTask, LectureTask.id == LectureStep.task_id)
            .where(LectureStep.id == step_id, LectureTask.lecture_id == lecture_id)
        )
        return self._session.scalars(query).first()

    def participant_step(self, participant_id: uuid.UUID) -> uuid.UUID | None:
        return self._session.scalar(select(Participant.current_step_id).where(Participant.id == participant_id))

    def screenshot_key(self, screenshot_id: uuid.UUID, participant_id: uuid.UUID) -> str | None:
        query = select(Screenshot.key).where(
            Screenshot.id == screenshot_id, Screenshot.participant_id == participant_id
        )
        return self._session.scalar(query)

    def recent_activity(self, who, since: datetime, limit: int) -> list[dict[str, Any]]:
        """The learner's latest activity events since `since`, oldest first (a participant's, else a user's)."""
        query = select(*(getattr(ActivityLog, name) for name in ACTIVITY_FIELDS)).where(
            ActivityLog.occurred_at >= since
        )
        if who.participant_id is not None:
            query = query.where(ActivityLog.participant_id == who.participant_id)
        else:
            query = query.where(ActivityLog.user_id == who.user_id, ActivityLog.lecture_id == who.lecture_id)
        rows = self._session.execute(query.order_by(ActivityLog.occurred_at.desc()).limit(limit)).all()
        return [dict(zip(ACTIVITY_FIELDS, row, strict=True)) for row in reversed(rows)]

    def add(self, help_request: HelpRequest) -> None:
        self._session.add(help_request)
        self._session.flush()

    def count_help(self, participant_id: uuid.UUID, session_id: uuid.UUID, step_id: uuid.UUID, now: datetime) -> None:
        """One more help request on the step for the participant's progress (the row made on the first)."""
        statement = insert(StepProgress).values(
            participant_id=participant_id, step_id=step_id, session_id=session_id, started_at=now, attempts=0,
            help_count=1,
        )  # fmt: skip
        statement = statement.on_conflict_do_update(
            index_elements=["participant_id", "step_id"], set_={"help_count": StepProgress.help_count + 1}
        )
        self._session.execute(statement)

    def get(self, help_id: uuid.UUID, lock: bool = False) -> HelpRequest | None:
        query = select(HelpRequest).where(HelpRequest.id == help_id)
        return self._session.scalars(query.with_for_update() if lock else query).first()

    def owners(self, help_request: HelpRequest) -> Owners:
        """The request's requester and the instructor of its session (else of its lecture)."""
        instructor = None
        if help_request.session_id is not None:
            instructor = self._session.scalar(
                select(ClassSession.instructor_id).where(ClassSession.id == help_request.session_id)
            )
        if instructor is None and help_request.lecture_id is not None:
            instructor = self._session.scalar(
                select(Lecture.instructor_id).where(Lecture.id == help_request.lecture_id)
            )
        return Owners(help_request.user_id, help_request.participant_id, instructor)

    def names(self, help_request: HelpRequest) -> tuple[str | None, str | None]:
        """The requester's name in the session (None without one) and the step's title."""
        name = help_request.participant_id and self._session.scalar(
            select(Participant.display_name).where(Participant.id == help_request.participant_id)
        )
        title = help_request.step_id and self._session.scalar(
            select(LectureStep.title).where(LectureStep.id == help_request.step_id)
        )
        return name or None, title or None

    def pending(
        self, instructor_id: uuid.UUID, page: int, size: int, session_id: uuid.UUID | None = None
    ) -> tuple[list[Any], int]:
        """One page of the unresolved requests of the instructor's sessions and lectures, longest waiting first."""
        where = [
            HelpRequest.status != "RESOLVED",
            or_(Lecture.instructor_id == instructor_id, SessionOfRequest.instructor_id == instructor_id),
        ]
        if session_id is not None:
            where.append(HelpRequest.session_id == session_id)
        joined = (
            select(HelpRequest)
            .outerjoin(SessionOfRequest, SessionOfRequest.id == HelpRequest.session_id)
            .outerjoin(Lecture, Lecture.id == HelpRequest.lecture_id)
            .where(*where)
        )
        rows = joined.add_columns(
            Participant.display_name, LectureStep.title.label("subtask_title"), Lecture.title.label("lecture_title")
        )
        rows = rows.outerjoin(Participant, Participant.id == HelpRequest.participant_id)
        rows = rows.outerjoin(LectureStep, LectureStep.id == HelpRequest.step_id)
        rows = rows.order_by(HelpRequest.created_at, HelpRequest.id).offset((page - 1) * size).limit(size)
        total = self._session.scalar(select(func.count()).select_from(joined.subquery()))
        return list(self._session.execute(rows).all()), total

    def add_message(self, message: Message) -> None:
        add_message(self._session, message)

    def tell(self, user_id: uuid.UUID, event_type: str, facts: dict, subject_id: str) -> None:
        publish_event(self._session, user_id, event_type, facts, subject_id)
