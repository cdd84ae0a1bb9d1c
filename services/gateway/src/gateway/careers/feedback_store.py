"""The SQL of résumé feedback and rewrites inside a transaction: one with its points in order, locked, paged."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from gateway.careers.models import FeedbackContent, ResumeFeedback, ResumeRewrite
from gateway.notifications.events import publish_event
from gateway.platform.outbox import add_message
from shared.messages import Message

WITH_CONTENTS = selectinload(ResumeFeedback.contents)
LIVE = ResumeFeedback.deleted_at.is_(None)
CONTENT_COUNT = (
    select(func.count())
    .select_from(FeedbackContent)
    .where(FeedbackContent.feedback_id == ResumeFeedback.id)
    .correlate(ResumeFeedback)
    .scalar_subquery()
    .label("content_count")
)
LISTED = (
    ResumeFeedback.id,
    ResumeFeedback.kind,
    ResumeFeedback.resume_id,
    ResumeFeedback.posting_id,
    ResumeFeedback.company,
    ResumeFeedback.posting_title,
    ResumeFeedback.resume_title,
    ResumeFeedback.matching_rate,
    ResumeFeedback.status,
    ResumeFeedback.created_at,
    CONTENT_COUNT,
)


class FeedbackStore:
    """Plain methods over resume_feedbacks, their contents and resume_rewrites, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def add(self, work: ResumeFeedback | ResumeRewrite) -> None:
        self._session.add(work)
        self._session.flush()

    def feedback(self, owner_id: uuid.UUID, feedback_id: uuid.UUID, lock: bool = False) -> ResumeFeedback | None:
        """The owner's live feedback with its points in order, or None (another user's is None too)."""
        query = select(ResumeFeedback).options(WITH_CONTENTS)
        query = query.where(ResumeFeedback.id == feedback_id, ResumeFeedback.owner_id == owner_id, LIVE)
        return self._session.scalars(query.with_for_update(of=ResumeFeedback) if lock else query).first()

    def locked_feedback(self, feedback_id: uuid.UUID) -> ResumeFeedback | None:
        """Any feedback (a report may finish one its owner deleted meanwhile), row-locked, with its points."""
        query = select(ResumeFeedback).options(WITH_CONTENTS).where(ResumeFeedback.id == feedback_id)
        return self._session.scalars(query.with_for_update(of=ResumeFeedback)).first()

    def page(self, owner_id: uuid.UUID, page: int, size: int) -> tuple[list[Any], int]:
        """One page of the owner's live feedback, newest first (rows with their point count), and the total."""
        where = (ResumeFeedback.owner_id == owner_id, LIVE)
        query = (
            select(*LISTED)
            .where(*where)
            .order_by(ResumeFeedback.created_at.desc(), ResumeFeedback.id.desc())
            .offset((page - 1) * size)
            .limit(size)
        )
        count = select(func.count()).select_from(ResumeFeedback).where(*where)
        return list(self._session.execute(query)), self._session.scalar(count)

    def soft_delete(self, owner_id: uuid.UUID, feedback_id: uuid.UUID, now: datetime) -> bool:
        where = (ResumeFeedback.id == feedback_id, ResumeFeedback.owner_id == owner_id, LIVE)
        statement = update(ResumeFeedback).where(*where).values(deleted_at=now, updated_at=now)
        return self._session.execute(statement.returning(ResumeFeedback.id)).first() is not None

    def rewrite(self, owner_id: uuid.UUID, rewrite_id: uuid.UUID) -> ResumeRewrite | None:
        query = select(ResumeRewrite).where(ResumeRewrite.id == rewrite_id, ResumeRewrite.owner_id == owner_id)
        return self._session.scalars(query).first()

    def locked_rewrite(self, rewrite_id: uuid.UUID) -> ResumeRewrite | None:
        query = select(ResumeRewrite).where(ResumeRewrite.id == rewrite_id)
        return self._session.scalars(query.with_for_update()).first()

    def kind_of(self, feedback_id: uuid.UUID | None) -> tuple[str, uuid.UUID | None] | None:
        """A feedback's kind and résumé id (a rewrite's new résumé type and personal fields come from them)."""
        if feedback_id is None:
            return None
        query = select(ResumeFeedback.kind, ResumeFeedback.resume_id).where(ResumeFeedback.id == feedback_id)
        return self._session.execute(query).first()

    def add_message(self, message: Message) -> None:
        add_message(self._session, message)

    def tell(self, user_id: uuid.UUID, event_type: str, facts: dict, subject_id: str) -> None:
        publish_event(self._session, user_id, event_type, facts, subject_id)
