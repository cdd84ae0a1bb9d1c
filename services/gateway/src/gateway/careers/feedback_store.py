"""The SQL of résumé feedback and rewrites inside a transaction: one with its points in order, paged, a new one
with its command in one statement, and the feedbacks of a batch of reports locked and written back in bulk."""

import dataclasses
import uuid
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from gateway.careers.models import FeedbackContent, ResumeFeedback, ResumeRewrite
from gateway.notifications.events import publish_all, publish_event
from gateway.platform.db import UnitOfWork, driver_connection
from gateway.platform.outbox import add_message, message_params, with_message_sql
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
# A new feedback and its ReviewResume in one statement, its own transaction: the ORM's unit of work cost more CPU
# than the rest of the request's SQL (a POST 5.3 -> 3.5 ms of CPU in-process).
ADD_FEEDBACK_SQL = with_message_sql(
    "INSERT INTO resume_feedbacks (id, owner_id, kind, resume_id, posting_id, resume_title, company, posting_title, "
    "status, attempts, created_at, updated_at) VALUES (%(id)s, %(owner_id)s, %(kind)s, %(resume_id)s, "
    "%(posting_id)s, %(resume_title)s, %(company)s, %(posting_title)s, 'queued', 0, %(now)s, %(now)s)"
)
ADDED_COLUMNS = ("id", "owner_id", "kind", "resume_id", "posting_id", "resume_title", "company", "posting_title")
# A batch of reports: its feedbacks read and row-locked in one statement (in id order, so concurrent batches cannot
# deadlock; neither the résumé as Markdown nor the points are needed to apply a report), written back in one UPDATE
# and one INSERT of the new points. The ORM loaded the points and flushed per report: ~13 statements a report.
LOCK_FEEDBACKS_SQL = """
SELECT id, owner_id, status, attempts, error, error_code, provider, model, usage, started_at, completed_at,
       failed_at, last_event_at, deleted_at, resume_title, company
FROM resume_feedbacks WHERE id = ANY(%(ids)s) ORDER BY id FOR UPDATE
"""
UPDATE_FEEDBACKS_SQL = """
UPDATE resume_feedbacks AS f SET status = v.status, attempts = v.attempts, error = v.error, error_code = v.error_code,
       provider = v.provider, model = v.model, usage = v.usage::jsonb, updated_at = v.updated_at,
       started_at = v.started_at, completed_at = v.completed_at, failed_at = v.failed_at,
       last_event_at = v.last_event_at, parent_content = coalesce(v.parent_content, f.parent_content),
       matching_rate = coalesce(v.matching_rate, f.matching_rate)
FROM unnest(%(id)s::uuid[], %(status)s::text[], %(attempts)s::int[], %(error)s::text[], %(error_code)s::text[],
            %(provider)s::text[], %(model)s::text[], %(usage)s::text[], %(updated_at)s::timestamptz[],
            %(started_at)s::timestamptz[], %(completed_at)s::timestamptz[], %(failed_at)s::timestamptz[],
            %(last_event_at)s::timestamptz[], %(parent_content)s::text[], %(matching_rate)s::int[])
     AS v(id, status, attempts, error, error_code, provider, model, usage, updated_at, started_at, completed_at,
          failed_at, last_event_at, parent_content, matching_rate)
WHERE f.id = v.id
"""
INSERT_CONTENTS_SQL = """
INSERT INTO resume_feedback_contents (id, feedback_id, position, division, result)
SELECT * FROM unnest(%(id)s::uuid[], %(feedback_id)s::uuid[], %(position)s::int[], %(division)s::text[],
                     %(result)s::text[])
"""
WRITTEN = ("status", "attempts", "error", "error_code", "provider", "model", "usage", "updated_at", "started_at",
           "completed_at", "failed_at", "last_event_at", "parent_content", "matching_rate")  # fmt: skip
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


def add_feedback(uow: UnitOfWork, feedback: ResumeFeedback, command: Message) -> None:
    """A new queued feedback and its command, in one round trip and one transaction."""
    params = {name: getattr(feedback, name) for name in ADDED_COLUMNS}
    uow.execute_atomically(ADD_FEEDBACK_SQL, params | {"now": feedback.created_at, **message_params(command)})


@dataclasses.dataclass(slots=True)
class FeedbackRow:
    """The columns of a feedback that its reports read or change; `contents` are the points a result adds."""

    id: uuid.UUID
    owner_id: uuid.UUID
    status: str
    attempts: int
    error: str | None
    error_code: str | None
    provider: str | None
    model: str | None
    usage: dict | None
    started_at: datetime | None
    completed_at: datetime | None
    failed_at: datetime | None
    last_event_at: datetime | None
    deleted_at: datetime | None
    resume_title: str
    company: str | None
    parent_content: str | None = None
    matching_rate: int | None = None
    contents: list = dataclasses.field(default_factory=list)
    updated_at: datetime | None = None
    changed: bool = False


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

    def lock_feedbacks(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, FeedbackRow]:
        """Any of these feedbacks (a report may finish one its owner deleted meanwhile), row-locked, by id."""
        rows = self._driver().execute(LOCK_FEEDBACKS_SQL, {"ids": list(ids)}, prepare=True)
        return {row[0]: FeedbackRow(*row) for row in rows}

    def write_feedbacks(self, feedbacks: list[FeedbackRow]) -> None:
        """The changed feedbacks in one UPDATE, the points of those just completed in one INSERT."""
        if not feedbacks:
            return
        params: dict[str, list] = {"id": [f.id for f in feedbacks]}
        for name in WRITTEN:
            params[name] = [getattr(f, name) for f in feedbacks]
        params["usage"] = [None if u is None else orjson.dumps(u).decode() for u in params["usage"]]
        conn = self._driver()
        conn.execute(UPDATE_FEEDBACKS_SQL, params, prepare=True)
        points = [(f.id, c) for f in feedbacks for c in f.contents]
        if points:
            conn.execute(INSERT_CONTENTS_SQL, {
                "id": [uuid.uuid4() for _ in points], "feedback_id": [fid for fid, _ in points],
                "position": [c.position for _, c in points], "division": [c.division for _, c in points],
                "result": [c.result for _, c in points],
            }, prepare=True)  # fmt: skip

    def _driver(self):
        return driver_connection(self._session)

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

    def tell_all(self, told: list[tuple[uuid.UUID, str, dict, str]]) -> None:
        """tell() each (user id, event type, facts, subject id), in order, as one batch."""
        publish_all(self._session, told)
