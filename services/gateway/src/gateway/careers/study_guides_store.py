"""The study guides' SQL inside a transaction: a guide with its items, locked, paged; what it is built from."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from gateway.careers.models import Resume, ResumeFeedback, StudyGuide, StudyItem
from gateway.notifications.events import publish_event
from gateway.platform.outbox import add_message
from shared.messages import Message

WITH_ITEMS = selectinload(StudyGuide.items)
LIVE = StudyGuide.deleted_at.is_(None)


class StudyGuideStore:
    """Plain methods over study guides and their items (ORM objects), inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def add(self, guide: StudyGuide) -> None:
        self._session.add(guide)
        self._session.flush()

    def guide(self, owner_id: uuid.UUID, guide_id: uuid.UUID, lock: bool = False) -> StudyGuide | None:
        """The owner's live guide with its items in order, or None (another user's or a deleted one too)."""
        query = select(StudyGuide).options(WITH_ITEMS).where(StudyGuide.id == guide_id, StudyGuide.owner_id == owner_id)
        query = query.where(LIVE)
        return self._session.scalars(query.with_for_update(of=StudyGuide) if lock else query).first()

    def locked(self, guide_id: uuid.UUID) -> StudyGuide | None:
        """Any guide (deleted too), row-locked until the transaction ends, for a report."""
        query = select(StudyGuide).options(WITH_ITEMS).where(StudyGuide.id == guide_id)
        return self._session.scalars(query.with_for_update(of=StudyGuide)).first()

    def page(self, owner_id: uuid.UUID, page: int, page_size: int) -> tuple[list[StudyGuide], int]:
        """One page of the owner's live guides (with their items), newest first, and their total count."""
        mine = (StudyGuide.owner_id == owner_id, LIVE)
        query = (
            select(StudyGuide)
            .options(WITH_ITEMS)
            .where(*mine)
            .order_by(StudyGuide.created_at.desc(), StudyGuide.id.desc())
            .offset((page - 1) * page_size)
            .limit(page_size)
        )
        count = select(func.count()).select_from(StudyGuide).where(*mine)
        return list(self._session.scalars(query)), self._session.scalar(count)

    def add_item(self, guide: StudyGuide, **fields: Any) -> None:
        guide.items.append(StudyItem(id=uuid.uuid4(), guide_id=guide.id, **fields))

    def delete(self, guide: StudyGuide, now: datetime) -> None:
        guide.deleted_at = guide.updated_at = now

    def feedback(self, owner_id: uuid.UUID, feedback_id: uuid.UUID) -> ResumeFeedback | None:
        """The owner's live feedback with its contents in order, or None."""
        query = (
            select(ResumeFeedback)
            .options(selectinload(ResumeFeedback.contents))
            .where(ResumeFeedback.id == feedback_id, ResumeFeedback.owner_id == owner_id)
            .where(ResumeFeedback.deleted_at.is_(None))
        )
        return self._session.scalars(query).first()

    def newest_resume_id(self, owner_id: uuid.UUID) -> uuid.UUID | None:
        query = (
            select(Resume.id)
            .where(Resume.owner_id == owner_id, Resume.deleted_at.is_(None))
            .order_by(Resume.created_at.desc(), Resume.id.desc())
            .limit(1)
        )
        return self._session.scalar(query)

    def add_message(self, message: Message) -> None:
        add_message(self._session, message)

    def tell(self, user_id: uuid.UUID, event_type: str, facts: dict, subject_id: str) -> None:
        publish_event(self._session, user_id, event_type, facts, subject_id)
