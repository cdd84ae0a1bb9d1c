"""Use cases of the asynchronous GPT jobs."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select

from gateway.db import UnitOfWork
from gateway.models import Job
from gateway.services.errors import NotFound
from gateway.services.outbox import message_params, with_message_sql
from shared.messages import RunJob

# The hottest path of the API: one prepared statement, one round trip, no BEGIN/COMMIT.
SUBMIT_JOB_SQL = with_message_sql(
    "INSERT INTO jobs (id, status, text, attempts, created_at, updated_at) "
    "VALUES (%(job_id)s, 'queued', %(text)s, 0, %(now)s, %(now)s)"
)


def submit_job(uow: UnitOfWork, text: str) -> Job:
    """Record the job and its RunJob command atomically; the relay publishes the command later."""
    now = datetime.now(UTC)
    job = Job(id=uuid.uuid4(), status="queued", text=text, attempts=0, created_at=now, updated_at=now)
    command = RunJob(job_id=str(job.id), text=text, requested_at=now.isoformat())
    uow.execute_atomically(SUBMIT_JOB_SQL, {**message_params(command), "job_id": job.id, "text": text, "now": now})
    return job


def parse_job_id(raw: str) -> uuid.UUID:
    """The job id in a URL, or NotFound with a message that says why."""
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFound(f"'{raw[:64]}' is not a job id (job ids are UUIDs)") from None


def get_job(uow: UnitOfWork, raw_id: str) -> Job:
    job_id = parse_job_id(raw_id)
    with uow as session:
        job = session.get(Job, job_id)
        if job is None:
            raise NotFound(f"no job with id {job_id}")
        return job


def list_jobs(uow: UnitOfWork, page: int, page_size: int, status: str | None = None) -> tuple[list[Job], int]:
    """One page of jobs, newest first, and the total count."""
    query = select(Job)
    count = select(func.count()).select_from(Job)
    if status:
        query = query.where(Job.status == status)
        count = count.where(Job.status == status)
    query = query.order_by(Job.created_at.desc(), Job.id.desc()).offset((page - 1) * page_size).limit(page_size)
    with uow as session:
        return list(session.scalars(query)), session.scalar(count)
