"""How any careers task's status moves on the worker's reports: forward only, a finished task never changes.

queued -> processing -> retrying -> completed | failed. A `processing` or `retrying` no later than the last
report applied is stale, so a late or replayed one cannot move the task back (as the jobs' rules); `completed`
and `failed` apply once. A task that runs in steps (an interview) begins each step queued again.

A completed result is checked again against its JSON Schema (shared.messages.careers_results) and by the task's
own `keep`: the worker checks first, so a result that fails here comes from a worker of another version. The task
then fails with `invalid_output` and the reasons (answered `invalid`) instead of the webhook being refused with a
422: a refusal would refuse the whole batch it came in, and leave the task `processing` for good while the
worker redelivers the same result; this way the owner hears that it failed, and nothing of the result is kept.

"""

import dataclasses
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from gateway.fastpaths.result_checks import result_problems

FINAL = frozenset({"completed", "failed"})
RUNNING = frozenset({"queued", "processing", "retrying"})
ORDERED = frozenset({"careers.processing", "careers.retrying"})

APPLIED = "applied"
STALE = "stale"
NOT_FOUND = "not_found"
INVALID = "invalid"  # a completed result that is not usable: the task failed with INVALID_OUTPUT
INVALID_OUTPUT = "invalid_output"
MAX_REASON = 2000
MAX_PROBLEMS_SHOWN = 5


@dataclasses.dataclass(frozen=True)
class CareersEventIn:
    """A validated CareersEvent, as the rules take it."""

    id: str
    type: str
    task: str
    task_id: uuid.UUID
    step: int
    occurred_at: datetime
    attempt: int
    data: dict[str, Any]


def begin_step(work, now: datetime) -> None:
    """Begin the task's next step: queued again, under a new step number, its last report forgotten."""
    work.step += 1
    work.status = "queued"
    work.error = work.error_code = None
    work.started_at = work.completed_at = work.failed_at = work.last_event_at = None
    work.updated_at = now


def apply_event(work, event, now: datetime, kind: str, keep: Callable[[dict], list[str]]) -> str:
    """Apply `event` to `work` in place: applied, stale or invalid.

    `kind` names the result's schema (a RESULT_SCHEMAS key); `keep(result)` stores a valid result on the task and
    answers why it could not (empty when it did); either list of problems fails the task as `invalid_output`.
    """
    if event.type != "careers.completed" or work.status in FINAL:
        return apply_report(work, event, now)
    result = event.data["result"]
    problems = result_problems(kind, result) or keep(result)
    if not problems:
        return apply_report(work, event, now)
    reason = f"The AI's answer was not usable: {'; '.join(problems[:MAX_PROBLEMS_SHOWN])}"
    failed = dataclasses.replace(event, type="careers.failed", data={"reason": reason, "code": INVALID_OUTPUT})
    apply_report(work, failed, now)
    return INVALID


def just_finished(outcome: str, work) -> bool:
    """Whether this report finished the task: its owner hears of it once (a finished task takes no report after)."""
    return outcome in (APPLIED, INVALID) and work.status in FINAL


def apply_report(work, event, now: datetime) -> str:
    """Move `work`'s status on one CareersEvent (its result already kept by apply_event): APPLIED or STALE."""
    if work.status in FINAL:
        return STALE
    if event.type in ORDERED and work.last_event_at is not None and event.occurred_at <= work.last_event_at:
        return STALE
    data = event.data
    if event.type == "careers.processing":
        work.status = "processing"
        work.started_at = work.started_at or event.occurred_at
    elif event.type == "careers.retrying":
        work.status = "retrying"
        work.error, work.error_code = (data.get("reason") or "")[:MAX_REASON] or None, data.get("code")
    elif event.type == "careers.failed":
        work.status = "failed"
        work.error, work.error_code = (data.get("reason") or "unknown error")[:MAX_REASON], data.get("code")
        work.failed_at = event.occurred_at
    else:
        work.status = "completed"
        work.provider, work.model, work.usage = data.get("provider"), data.get("model"), data.get("usage")
        work.error = work.error_code = None
        work.started_at = work.started_at or event.occurred_at
        work.completed_at = event.occurred_at
    work.attempts = max(work.attempts or 0, event.attempt)
    work.last_event_at = max(work.last_event_at or event.occurred_at, event.occurred_at)
    work.updated_at = now
    return APPLIED
