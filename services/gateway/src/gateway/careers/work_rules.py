"""How any careers task's status moves on the worker's reports: forward only, a finished task never changes.

queued -> processing -> retrying -> completed | failed. A `processing` or `retrying` no later than the last
report applied is stale, so a late or replayed one cannot move the task back (as the jobs' rules); `completed`
and `failed` apply once. A task that runs in steps (an interview) begins each step queued again.

NOTE (H3, 00:25): this file was H4's; H3's editor overwrote it by accident at 00:23 and this is a
reconstruction from its uses in interviews_rules.py and interviews_service.py
(APPLIED, NOT_FOUND, FINAL, RUNNING, STALE, apply_report, begin_step).
H4: please check it against your original and put yours back if it differs.
"""

from collections.abc import Callable
from datetime import datetime

FINAL = frozenset({"completed", "failed"})
RUNNING = frozenset({"queued", "processing", "retrying"})
ORDERED = frozenset({"careers.processing", "careers.retrying"})

APPLIED = "applied"
STALE = "stale"
NOT_FOUND = "not_found"
MAX_REASON = 2000


def begin_step(work, now: datetime) -> None:
    """Begin the task's next step: queued again, under a new step number, its last report forgotten."""
    work.step += 1
    work.status = "queued"
    work.error = work.error_code = None
    work.started_at = work.completed_at = work.failed_at = work.last_event_at = None
    work.updated_at = now


def apply_report(work, event, now: datetime, on_completed: Callable[[], None]) -> str:
    """Apply a CareersEvent to `work` in place: APPLIED or STALE. `on_completed()` keeps a completed result."""
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
        on_completed()
        work.status = "completed"
        work.provider, work.model, work.usage = data.get("provider"), data.get("model"), data.get("usage")
        work.error = work.error_code = None
        work.started_at = work.started_at or event.occurred_at
        work.completed_at = event.occurred_at
    work.attempts = max(work.attempts or 0, event.attempt)
    work.last_event_at = max(work.last_event_at or event.occurred_at, event.occurred_at)
    work.updated_at = now
    return APPLIED
