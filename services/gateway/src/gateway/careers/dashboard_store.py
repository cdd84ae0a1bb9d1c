"""The SQL of the dashboard: three statements, whatever the owner has (counts, latest résumés, recent activity)."""

import uuid
from datetime import datetime

from sqlalchemy import Select, String, case, func, literal, select, true, union_all

from gateway.careers.models import Interview, JobPosting, Resume, ResumeFeedback, StudyGuide


def _counts(model, owner_id: uuid.UUID, since: datetime):
    """(total, since `since`) of the owner's live rows of `model`, as one subquery."""
    live = model.deleted_at.is_(None)
    recent = func.count().filter(model.created_at >= since)
    return select(func.count().label("total"), recent.label("recent")).where(model.owner_id == owner_id, live)


def _latest(query: Select, at, key, limit: int) -> Select:
    return query.order_by(at.desc(), key.desc()).limit(limit)


def _source(kind: str, model, owner_id: uuid.UUID, title, status, company, limit: int, *where) -> Select:
    """One kind of activity: the owner's newest `limit` rows of `model` as (kind, id, title, status, company, at)."""
    query = select(
        literal(kind, String).label("kind"),
        model.id.label("id"),
        title.label("title"),
        status.label("status"),
        company.label("company"),
        model.updated_at.label("at"),
    ).where(model.owner_id == owner_id, *where)
    return _latest(query, model.updated_at, model.id, limit)


def _activities(owner_id: uuid.UUID, limit: int) -> Select:
    """The owner's latest résumé changes and AI work merged by time: each kind's newest `limit`, then the newest
    `limit` of them all (each kind's part walks its rows newest first)."""
    none = literal(None, String)
    resume_status = case((Resume.updated_at == Resume.created_at, "created"), else_="updated")
    merged = union_all(
        _source("resume", Resume, owner_id, Resume.title, resume_status, none, limit, Resume.deleted_at.is_(None)),
        _source(
            "resume_feedback",
            ResumeFeedback,
            owner_id,
            ResumeFeedback.resume_title,
            ResumeFeedback.status,
            ResumeFeedback.company,
            limit,
            ResumeFeedback.deleted_at.is_(None),
        ),
        _source("interview", Interview, owner_id, Interview.resume_title, Interview.status, Interview.company, limit),
        _source(
            "study_guide",
            StudyGuide,
            owner_id,
            StudyGuide.title,
            StudyGuide.status,
            none,
            limit,
            StudyGuide.deleted_at.is_(None),
        ),
    ).subquery()
    return select(merged).order_by(merged.c.at.desc(), merged.c.id.desc()).limit(limit)


class DashboardStore:
    """Plain reads over the careers tables of one owner."""

    def __init__(self, session):
        self._session = session

    def counts(self, owner_id: uuid.UUID, since: datetime):
        """One row: the owner's live résumés, feedbacks and postings, in all and since `since`."""
        resumes = _counts(Resume, owner_id, since).subquery()
        feedbacks = _counts(ResumeFeedback, owner_id, since).subquery()
        postings = _counts(JobPosting, owner_id, since).subquery()
        query = select(
            resumes.c.total.label("resumes"),
            resumes.c.recent.label("resumes_recent"),
            feedbacks.c.total.label("feedbacks"),
            feedbacks.c.recent.label("feedbacks_recent"),
            postings.c.total.label("postings"),
            postings.c.recent.label("postings_recent"),
        ).select_from(resumes.join(feedbacks, true()).join(postings, true()))  # one row each: one row in all
        return self._session.execute(query).one()

    def latest_resumes(self, owner_id: uuid.UUID, limit: int) -> list:
        """The owner's live résumés changed last: id, title, resume_type, created_at, updated_at."""
        query = select(Resume.id, Resume.title, Resume.resume_type, Resume.created_at, Resume.updated_at).where(
            Resume.owner_id == owner_id, Resume.deleted_at.is_(None)
        )
        return list(self._session.execute(_latest(query, Resume.updated_at, Resume.id, limit)))

    def activities(self, owner_id: uuid.UUID, limit: int) -> list:
        """The owner's recent activity: (kind, id, title, status, company, at), newest first."""
        return list(self._session.execute(_activities(owner_id, limit)))
