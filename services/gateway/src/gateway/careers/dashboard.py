"""The dashboard (GET /api/dashboard): what the caller has in the careers line and what happened to it lately.

Counts are of live (not deleted) résumés, AI feedbacks and postings, in all and in the last seven days (as the
original system's "this week"); the latest résumés are the ones changed last; recent activity merges résumé
changes, feedbacks, interviews and study guides by their last change. Three statements, however much there is.
"""

import dataclasses
import uuid
from datetime import datetime, timedelta

from gateway.careers.dashboard_store import DashboardStore
from gateway.platform.db import UnitOfWork

WEEK = timedelta(days=7)
LATEST_RESUMES = 5
RECENT_ACTIVITIES = 10
ACTIVITY_KINDS = ("resume", "resume_feedback", "interview", "study_guide")
LINKS = {
    "resume": "/api/resumes/{}",
    "resume_feedback": "/api/resume_feedbacks/{}",
    "interview": "/api/interviews/{}",
    "study_guide": "/api/study-guides/{}",
}


@dataclasses.dataclass(frozen=True)
class Activity:
    kind: str  # one of ACTIVITY_KINDS
    id: uuid.UUID
    title: str | None
    status: str  # the AI work's status; for a résumé, `created` or `updated`
    company: str | None
    at: datetime

    @property
    def link(self) -> str:
        return LINKS[self.kind].format(self.id)


@dataclasses.dataclass(frozen=True)
class Dashboard:
    total_resumes: int
    this_week_resumes: int
    total_ai_feedback: int
    this_week_ai_feedback: int
    total_job_postings: int
    this_week_job_postings: int
    week_started_at: datetime
    recent_resumes: list
    recent_activities: list[Activity]


def get_dashboard(uow: UnitOfWork, owner_id: uuid.UUID, now: datetime) -> Dashboard:
    """The owner's dashboard as of `now`."""
    since = now - WEEK
    with uow:
        store = uow.store(DashboardStore)
        counts = store.counts(owner_id, since)
        resumes = store.latest_resumes(owner_id, LATEST_RESUMES)
        activities = [Activity(*row) for row in store.activities(owner_id, RECENT_ACTIVITIES)]
    return Dashboard(
        total_resumes=counts.resumes,
        this_week_resumes=counts.resumes_recent,
        total_ai_feedback=counts.feedbacks,
        this_week_ai_feedback=counts.feedbacks_recent,
        total_job_postings=counts.postings,
        this_week_job_postings=counts.postings_recent,
        week_started_at=since,
        recent_resumes=resumes,
        recent_activities=activities,
    )
