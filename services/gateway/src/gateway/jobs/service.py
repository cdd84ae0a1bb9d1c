"""Use cases of the asynchronous GPT jobs."""

import dataclasses
import uuid
from datetime import UTC, datetime

from gateway.jobs.models import Job
from gateway.jobs.store import SUBMIT_JOB_SQL, JobStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import NotFound
from gateway.platform.outbox import message_params
from shared.messages import RunJob


@dataclasses.dataclass(frozen=True, slots=True)
class AcceptedJob:
    """What a submission answers: the new job's id, status and time (no ORM object on the hottest path)."""

    id: uuid.UUID
    status: str
    created_at: datetime


def text_problem(text: str, limit: int) -> str | None:
    """Why `text` cannot be submitted (blank, or over `limit` bytes of UTF-8), or None."""
    if not text.strip():
        return "Must not be empty or only whitespace."
    size = len(text.encode("utf-8"))
    if size > limit:
        return f"Must be at most {limit} bytes of UTF-8 (got {size})."
    return None


def submit_job(uow: UnitOfWork, text: str, owner_id: uuid.UUID | None = None) -> AcceptedJob:
    """Record the job and its RunJob command atomically; the relay publishes the command later."""
    now, job_id = datetime.now(UTC), uuid.uuid4()
    command = RunJob(job_id=str(job_id), text=text, requested_at=now.isoformat())
    params = {**message_params(command), "job_id": job_id, "owner_id": owner_id, "text": text, "now": now}
    uow.execute_atomically(SUBMIT_JOB_SQL, params)
    return AcceptedJob(id=job_id, status="queued", created_at=now)


def parse_job_id(raw: str) -> uuid.UUID:
    """The job id in a URL, or NotFound with a message that says why."""
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFound(f"'{raw[:64]}' is not a job id (job ids are UUIDs)") from None


def get_job(uow: UnitOfWork, raw_id: str, viewer_id: uuid.UUID | None) -> Job:
    """A job its viewer may see: an anonymous job by its id, an owned job by its owner only.

    Another user's job is a 404, exactly like a missing one, so an id never leaks whether it exists.
    """
    job_id = parse_job_id(raw_id)
    with uow:
        job = uow.store(JobStore).job(job_id)
        if job is None or (job.owner_id is not None and job.owner_id != viewer_id):
            raise NotFound(f"no job with id {job_id}")
        return job


def list_jobs(
    uow: UnitOfWork, owner_id: uuid.UUID, page: int, page_size: int, status: str | None = None
) -> tuple[list[Job], int]:
    """One page of the owner's jobs, newest first, and their total count."""
    with uow:
        return uow.store(JobStore).page(owner_id, page, page_size, status)
