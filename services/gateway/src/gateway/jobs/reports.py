"""Applying a signed batch of worker reports to the jobs, exactly once.

A batch is applied with a fixed number of statements, whatever its size: one
read that locks its jobs (with the names of the steps they have), the events
applied in order by the domain rules in memory, then one UPDATE of every job
that changed and one INSERT of every new step. The ORM's unit of work cost
more CPU per event than everything else in the webhook together.
"""

import uuid
from typing import Any

from gateway.jobs.reports_store import JobReportStore, JobRow, StepRow
from gateway.jobs.rules import APPLIED, NOT_FOUND, JobEventIn, apply_event
from gateway.platform.db import UnitOfWork
from gateway.platform.receipts import apply_once


def record_job_events(uow: UnitOfWork, webhook_id: str, source: str, events: list[JobEventIn]) -> dict[str, Any]:
    """Apply `events` in order, once per webhook id; a replay gets the first answer back, unchanged."""

    def apply(_session, now) -> dict:
        store = uow.store(JobReportStore)
        jobs = store.lock_jobs({_as_uuid(e.job_id) for e in events})
        results = []
        for event in events:
            job = jobs.get(_as_uuid(event.job_id))
            before = job and job.status
            outcome = NOT_FOUND if job is None else apply_event(job, event, now, StepRow)
            if outcome == APPLIED:
                job.changed = True
                if job.owner_id is not None:
                    _tell_owner(store, job, before, event)
            results.append({"id": event.id, "job_id": str(event.job_id), "result": outcome})
        store.write([job for job in jobs.values() if job.changed])
        return {"results": results}

    return apply_once(uow, webhook_id, source, apply)


def _tell_owner(store: JobReportStore, job: JobRow, before: str, event: JobEventIn) -> None:
    """A job's owner hears when it starts (the first time), completes or fails."""
    if event.type == "job.processing" and before == "queued":
        store.tell(job.owner_id, "job.processing", {}, str(job.id))
    elif event.type == "job.completed":
        store.tell(job.owner_id, "job.completed", {"items": len(job.checklist or [])}, str(job.id))
    elif event.type == "job.failed":
        store.tell(job.owner_id, "job.failed", {"reason": job.error}, str(job.id))


def _as_uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None
