"""The live sessions' SQL inside a transaction: a session by id or code (locked), its lecture's steps, its controls."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from gateway.accounts.models import User
from gateway.classroom.models import ClassSession, Lecture, Participant, SessionControl
from gateway.classroom.session_events_store import ordered_steps, step_view

CODE_INDEX = "uq_class_sessions_code"
OPEN = ("WAITING", "IN_PROGRESS", "PAUSED")


class CodeTaken(Exception):
    """Every code tried was taken already."""


class SessionStore:
    """Plain methods over live sessions (ORM objects), inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def lecture(self, lecture_id: uuid.UUID) -> Lecture | None:
        """A lecture that is not deleted, or None."""
        found = self._session.get(Lecture, lecture_id)
        return found if found is not None and found.deleted_at is None else None

    def add(self, class_session: ClassSession, codes: Iterable[str]) -> None:
        """Insert the session under the first code of `codes` no other session has; CodeTaken if none is free."""
        for code in codes:
            class_session.code = code
            try:
                with self._session.begin_nested():  # a savepoint: a taken code undoes this insert only
                    self._session.add(class_session)
                    self._session.flush()
                return
            except IntegrityError as error:
                if CODE_INDEX not in str(error.orig):
                    raise  # the savepoint's rollback took the session out again: it is added anew with the next code
        raise CodeTaken

    def by_code(self, code: str) -> ClassSession | None:
        return self._session.scalars(select(ClassSession).where(ClassSession.code == code)).first()

    def get(self, session_id: uuid.UUID) -> ClassSession | None:
        return self._session.get(ClassSession, session_id)

    def locked(self, session_id: uuid.UUID) -> ClassSession | None:
        """The session, row-locked until the transaction ends."""
        query = select(ClassSession).where(ClassSession.id == session_id).with_for_update()
        return self._session.scalars(query.execution_options(populate_existing=True)).first()

    def steps(self, lecture_id: uuid.UUID) -> list[dict[str, Any]]:
        """The lecture's steps in teaching order, as step views (position of total)."""
        rows = self._session.execute(ordered_steps(lecture_id)).all()
        return [step_view(row.LectureStep, row.n, len(rows), row.task_title) for row in rows]

    def add_control(
        self, class_session: ClassSession, action: str, now: datetime, message: str | None = None
    ) -> SessionControl:
        control = SessionControl(
            id=uuid.uuid4(),
            session_id=class_session.id,
            instructor_id=class_session.instructor_id,
            action=action,
            step_id=class_session.current_step_id,
            message=message,
            created_at=now,
        )
        self._session.add(control)
        return control

    def move_participants(self, class_session: ClassSession, activate: bool) -> None:
        """Everyone still learning follows the session to its current step: one more move (step_seq) on the
        session's row, no participant's row (Participant.current_step_id reads the session's step since); waiting
        learners become active if `activate` (the start)."""
        class_session.step_seq += 1
        if activate:
            self._session.execute(
                update(Participant)
                .where(Participant.session_id == class_session.id, Participant.status == "WAITING")
                .values(status="ACTIVE")
            )

    def views(
        self, sessions: list[ClassSession], known: dict[uuid.UUID, list[dict[str, Any]]] | None = None
    ) -> list[dict[str, Any]]:
        """Each session with its lecture's title, its instructor's name, its current step and participant count
        (`known`: lectures' steps the caller read already in this transaction, by lecture id)."""
        if not sessions:
            return []
        ids = [s.id for s in sessions]
        counts = dict(
            self._session.execute(
                select(Participant.session_id, func.count())
                .where(Participant.session_id.in_(ids))
                .group_by(Participant.session_id)
            ).all()
        )
        lectures = dict(
            self._session.execute(
                select(Lecture.id, Lecture.title).where(Lecture.id.in_({s.lecture_id for s in sessions}))
            ).all()
        )
        names = dict(
            self._session.execute(
                select(User.id, User.username).where(User.id.in_({s.instructor_id for s in sessions}))
            ).all()
        )
        steps = dict(known or {})
        for lecture_id in {s.lecture_id for s in sessions} - steps.keys():
            steps[lecture_id] = self.steps(lecture_id)
        return [_view(s, lectures, names, steps[s.lecture_id], counts.get(s.id, 0)) for s in sessions]

    def instructor_active(self, instructor_id: uuid.UUID) -> list[ClassSession]:
        """The instructor's sessions that have not ended, newest first."""
        query = (
            select(ClassSession)
            .where(ClassSession.instructor_id == instructor_id, ClassSession.status.in_(OPEN))
            .order_by(ClassSession.created_at.desc(), ClassSession.id.desc())
        )
        return list(self._session.scalars(query))

    def joined_active(self, user_id: uuid.UUID) -> list[tuple[ClassSession, Participant]]:
        """The not-ended sessions the user joined (and has not finished), newest join first."""
        query = (
            select(ClassSession, Participant)
            .join(Participant, Participant.session_id == ClassSession.id)
            .where(Participant.user_id == user_id, ClassSession.status.in_((*OPEN, "REVIEW_MODE")))
            .order_by(Participant.joined_at.desc(), Participant.id.desc())
        )
        return [tuple(row) for row in self._session.execute(query).all()]


def _view(s: ClassSession, lectures: dict, names: dict, steps: list[dict], count: int) -> dict[str, Any]:
    current = next((step for step in steps if step["id"] == str(s.current_step_id)), None)
    return {
        "id": s.id,
        "code": s.code,
        "title": s.title,
        "status": s.status,
        "lecture": {"id": s.lecture_id, "title": lectures.get(s.lecture_id)},
        "instructor": {"id": s.instructor_id, "username": names.get(s.instructor_id)},
        "current_step": current,
        "total_steps": len(steps),
        "participant_count": count,
        "event_seq": s.event_seq,
        "scheduled_at": s.scheduled_at,
        "started_at": s.started_at,
        "ended_at": s.ended_at,
        "created_at": s.created_at,
    }
