"""The jobs' SQL: the submission's one statement, a job by id, a page of an owner's jobs."""

import uuid

from sqlalchemy import func, select

from gateway.jobs.models import Job
from gateway.platform.outbox import with_message_sql

# The hottest path of the API: one prepared statement, one round trip, no BEGIN/COMMIT.
SUBMIT_JOB_SQL = with_message_sql(
    "INSERT INTO jobs (id, owner_id, status, text, attempts, created_at, updated_at) "
    "VALUES (%(job_id)s, %(owner_id)s, 'queued', %(text)s, 0, %(now)s, %(now)s)"
)


class JobStore:
    """Plain methods over the jobs table, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def job(self, job_id: uuid.UUID) -> Job | None:
        return self._session.get(Job, job_id)

    def page(self, owner_id: uuid.UUID, page: int, page_size: int, status: str | None) -> tuple[list[Job], int]:
        """One page of the owner's jobs (of `status` when given), newest first, and their total count."""
        query = select(Job).where(Job.owner_id == owner_id)
        count = select(func.count()).select_from(Job).where(Job.owner_id == owner_id)
        if status:
            query = query.where(Job.status == status)
            count = count.where(Job.status == status)
        query = query.order_by(Job.created_at.desc(), Job.id.desc()).offset((page - 1) * page_size).limit(page_size)
        return list(self._session.scalars(query)), self._session.scalar(count)
