"""The SQL behind session events: the next number of a session's event (row-locked) and its state after a change."""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update

from gateway.classroom.models import ClassSession, LectureStep, LectureTask, Participant
from gateway.platform.outbox import add_message
from shared.messages import Message

STEP_FIELDS = (
    "title",
    "description",
    "target_action",
    "target_element_hint",
    "guide_text",
    "voice_guide_text",
    "target_package",
    "target_view_id",
    "target_text",
)


@dataclass(frozen=True)
class Numbered:
    """A session's identity and its event number, as the UPDATE that numbered the event left them."""

    seq: int
    code: str
    lecture_id: uuid.UUID


def ordered_steps(lecture_id: uuid.UUID):
    """A lecture's steps in teaching order (task by task, step by step), each with its 1-based `position`."""
    order = (LectureTask.position, LectureStep.position, LectureStep.id)
    return (
        select(LectureStep, LectureTask.title.label("task_title"), func.row_number().over(order_by=order).label("n"))
        .join(LectureTask, LectureTask.id == LectureStep.task_id)
        .where(LectureTask.lecture_id == lecture_id)
        .order_by(*order)
    )


def step_view(step: LectureStep, position: int, total: int, task_title: str | None = None) -> dict[str, Any]:
    """A step as events and answers show it: where it stands in the lecture and how to find its target."""
    return {
        "id": str(step.id),
        "task_id": str(step.task_id),
        "task_title": task_title,
        "position": position,
        "total_steps": total,
        **{name: getattr(step, name) for name in STEP_FIELDS},
    }


class SessionEventStore:
    """Plain methods over a session's event number and state, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def next_seq(self, session_id: uuid.UUID) -> Numbered | None:
        """Bump the session's event number, locking its row until the transaction ends; None if no such session."""
        self._session.flush()  # the caller's changes first: the state read next must see them
        bump = (
            update(ClassSession)
            .where(ClassSession.id == session_id)
            .values(event_seq=ClassSession.event_seq + 1)
            .returning(ClassSession.event_seq, ClassSession.code, ClassSession.lecture_id)
        )
        row = self._session.execute(bump).first()
        return None if row is None else Numbered(*row)

    def state(self, session_id: uuid.UUID) -> dict[str, Any]:
        """The session as a (re)connecting client needs it: status, current step, counts, times."""
        session = self._session.get(ClassSession, session_id, populate_existing=True)
        steps = self._session.execute(ordered_steps(session.lecture_id)).all()
        current = next((row for row in steps if row.LectureStep.id == session.current_step_id), None)
        counts = self._session.execute(
            select(Participant.status, func.count())
            .where(Participant.session_id == session_id)
            .group_by(Participant.status)
        ).all()
        by_status = dict(counts)
        return {
            "status": session.status,
            "title": session.title,
            "current_step": current and step_view(current.LectureStep, current.n, len(steps), current.task_title),
            "total_steps": len(steps),
            "participants": sum(by_status.values()),
            "participants_by_status": by_status,
            "started_at": session.started_at and session.started_at.isoformat(),
            "ended_at": session.ended_at and session.ended_at.isoformat(),
        }

    def add_message(self, message: Message) -> None:
        add_message(self._session, message)
