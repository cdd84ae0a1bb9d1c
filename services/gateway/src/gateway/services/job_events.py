"""Applying a signed batch of worker reports to the jobs, exactly once."""

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import defer

from gateway.db import UnitOfWork
from gateway.domain.job_events import APPLIED, NOT_FOUND, JobEventIn, apply_event
from gateway.models import Job, JobStep
from gateway.services.events import publish_event
from gateway.services.receipts import apply_once


def record_job_events(uow: UnitOfWork, webhook_id: str, source: str, events: list[JobEventIn]) -> dict[str, Any]:
    """Apply `events` in order, once per webhook id; a replay gets the first answer back, unchanged."""

    def apply(session, now) -> dict:
        jobs = _lock_jobs(session, {_as_uuid(e.job_id) for e in events})
        results = []
        for event in events:
            job = jobs.get(_as_uuid(event.job_id))
            before = job and job.status
            outcome = NOT_FOUND if job is None else apply_event(job, event, now, JobStep)
            if outcome == APPLIED and job.owner_id is not None:
                _tell_owner(session, job, before, event)
            results.append({"id": event.id, "job_id": str(event.job_id), "result": outcome})
        return {"results": results}

    return apply_once(uow, webhook_id, source, apply)


def _tell_owner(session, job: Job, before: str, event: JobEventIn) -> None:
    """A job's owner hears when it starts (the first time), completes or fails."""
    if event.type == "job.processing" and before == "queued":
        publish_event(session, job.owner_id, "job.processing", {}, str(job.id))
    elif event.type == "job.completed":
        publish_event(session, job.owner_id, "job.completed", {"items": len(job.checklist or [])}, str(job.id))
    elif event.type == "job.failed":
        publish_event(session, job.owner_id, "job.failed", {"reason": job.error}, str(job.id))


def _as_uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def _lock_jobs(session, ids: set) -> dict[uuid.UUID, Job]:
    """Load and row-lock the jobs in id order, so concurrent batches cannot deadlock."""
    ids.discard(None)
    if not ids:
        return {}
    # The submitted text (up to 200 KiB a job) is never needed to apply a report.
    query = select(Job).options(defer(Job.text)).where(Job.id.in_(ids)).order_by(Job.id).with_for_update()
    return {job.id: job for job in session.scalars(query)}
