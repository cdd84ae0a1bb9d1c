"""How a job reacts to the events the worker reports.

The rule that keeps status honest: a finished job (completed, failed,
cancelled) never changes again, and a non-final report older than the last one
applied is ignored, so a late or replayed `processing` cannot move a job back.
"""

import dataclasses
from datetime import datetime
from typing import Any

TERMINAL = frozenset({"completed", "failed", "cancelled"})
STEP_POSITIONS = {"summary": 1, "checklist": 2}

APPLIED = "applied"
STALE = "stale"
NOT_FOUND = "not_found"


@dataclasses.dataclass(frozen=True)
class JobEventIn:
    """A validated worker report."""

    id: str
    type: str
    job_id: Any
    occurred_at: datetime
    attempt: int
    data: dict[str, Any]


def apply_event(job, event: JobEventIn, now: datetime, new_step) -> str:
    """Apply `event` to `job` in place; return APPLIED or STALE. `new_step(**fields)` builds a step row."""
    if job.status in TERMINAL:
        return STALE
    handler = _HANDLERS[event.type]
    ordered = event.type in ("job.processing", "job.retrying")
    if ordered and job.last_event_at is not None and event.occurred_at <= job.last_event_at:
        return STALE
    if handler(job, event, new_step) is False:
        return STALE
    job.attempts = max(job.attempts, event.attempt)
    job.last_event_at = max(job.last_event_at or event.occurred_at, event.occurred_at)
    job.updated_at = now
    return APPLIED


def _processing(job, event: JobEventIn, _new_step) -> None:
    job.status = "processing"
    job.started_at = job.started_at or event.occurred_at


def _retrying(job, event: JobEventIn, _new_step) -> None:
    job.status = "retrying"
    job.error = event.data.get("reason")
    job.error_code = event.data.get("code")


def _record_step(job, data: dict, occurred_at: datetime, new_step) -> bool:
    """Add a finished step unless the job has it already; False if it did."""
    name = data["step"]
    if any(step.name == name for step in job.steps):
        return False
    job.steps.append(
        new_step(
            name=name,
            position=STEP_POSITIONS.get(name, len(job.steps) + 1),
            status="completed",
            provider=data.get("provider"),
            model=data.get("model"),
            usage=data.get("usage"),
            started_at=data.get("started_at"),
            completed_at=data.get("completed_at") or occurred_at,
        )
    )
    return True


def _step_completed(job, event: JobEventIn, new_step) -> bool:
    data = event.data
    name = data["step"]
    if not _record_step(job, data, event.occurred_at, new_step):
        return False
    if name == "summary" and data.get("summary") is not None:
        job.summary = data["summary"]
    if job.status == "queued":
        job.status = "processing"
        job.started_at = job.started_at or data.get("started_at") or event.occurred_at
    return True


def _completed(job, event: JobEventIn, new_step) -> None:
    data = event.data
    for step in data.get("steps", []):
        _record_step(job, step, event.occurred_at, new_step)
    first_start = min((s["started_at"] for s in data.get("steps", []) if s.get("started_at")), default=None)
    job.started_at = job.started_at or first_start
    job.status = "completed"
    job.summary = data["summary"]
    job.checklist = data["checklist"]
    job.provider = data.get("provider")
    job.model = data.get("model")
    job.usage = data.get("usage")
    job.error = job.error_code = None
    job.started_at = job.started_at or event.occurred_at
    job.completed_at = event.occurred_at


def _failed(job, event: JobEventIn, _new_step) -> None:
    job.status = "failed"
    job.error = event.data.get("reason") or "unknown error"
    job.error_code = event.data.get("code")
    job.failed_at = event.occurred_at


_HANDLERS = {
    "job.processing": _processing,
    "job.retrying": _retrying,
    "job.step_completed": _step_completed,
    "job.completed": _completed,
    "job.failed": _failed,
}
