"""The interviews' SQL inside a transaction: an interview with its turns in order, locked, paged; what it is about."""

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from gateway.careers.models import Interview, InterviewTurn
from gateway.notifications.events import publish_event
from gateway.platform.outbox import add_message
from shared.messages import Message

WITH_TURNS = selectinload(Interview.turns)


class InterviewStore:
    """Plain methods over interviews and their turns (ORM objects), inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def add(self, interview: Interview) -> None:
        self._session.add(interview)
        self._session.flush()

    def interview(self, owner_id: uuid.UUID, interview_id: uuid.UUID) -> Interview | None:
        """The owner's interview with its turns in order, or None (another user's is None too)."""
        query = select(Interview).options(WITH_TURNS).where(Interview.id == interview_id)
        return self._session.scalars(query.where(Interview.owner_id == owner_id)).first()

    def locked(self, interview_id: uuid.UUID, owner_id: uuid.UUID | None = None) -> Interview | None:
        """The interview, row-locked until the transaction ends, with its turns; only the owner's when given."""
        query = select(Interview).options(WITH_TURNS).where(Interview.id == interview_id)
        if owner_id is not None:
            query = query.where(Interview.owner_id == owner_id)
        return self._session.scalars(query.with_for_update(of=Interview)).first()

    def page(self, owner_id: uuid.UUID, page: int, page_size: int) -> tuple[list[Interview], int]:
        """One page of the owner's interviews (with their turns), newest first, and their total count."""
        query = (
            select(Interview)
            .options(WITH_TURNS)
            .where(Interview.owner_id == owner_id)
            .order_by(Interview.created_at.desc(), Interview.id.desc())
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
        count = select(func.count()).select_from(Interview).where(Interview.owner_id == owner_id)
        return list(self._session.scalars(query)), self._session.scalar(count)

    def add_turn(self, interview: Interview, **fields: Any) -> None:
        """Append a turn to the interview's conversation (written when the transaction flushes)."""
        interview.turns.append(InterviewTurn(id=uuid.uuid4(), interview_id=interview.id, **fields))

    def add_message(self, message: Message) -> None:
        add_message(self._session, message)

    def tell(self, user_id: uuid.UUID, event_type: str, facts: dict, subject_id: str) -> None:
        publish_event(self._session, user_id, event_type, facts, subject_id)
