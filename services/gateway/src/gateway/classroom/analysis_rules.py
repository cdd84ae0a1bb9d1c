"""How a classroom analysis (a help request's diagnosis, a recording's analysis) takes the worker's reports: in the
platform's status vocabulary, forward only, a completed result checked against its schema before it is kept.

`analysis_status`: queued -> processing -> retrying -> completed | failed. A `processing` or `retrying` no later
than the last report applied is stale, so a late or replayed one cannot move it back; `completed` and `failed`
apply once. A completed result that breaks its schema (shared.messages.classroom_results) fails the analysis with
`invalid_output` and the reasons (answered `invalid`) rather than refusing the webhook: a refusal would refuse the
whole batch it came in and leave the analysis running for good while the worker redelivers the same result.
"""

import dataclasses
import uuid
from datetime import datetime
from typing import Any

from shared.messages.classroom_results import result_problems

FINAL = frozenset({"completed", "failed"})
ORDERED = frozenset({"processing", "retrying"})
APPLIED, STALE, NOT_FOUND, INVALID = "applied", "stale", "not_found", "invalid"
INVALID_OUTPUT = "invalid_output"
MAX_REASON = 2000
MAX_PROBLEMS_SHOWN = 5


@dataclasses.dataclass(frozen=True)
class ClassroomEventIn:
    """A validated ClassroomEvent, as the rules take it."""

    id: str
    type: str  # classroom.processing | classroom.retrying | classroom.completed | classroom.failed
    task: str  # help_analysis | recording_analysis
    task_id: uuid.UUID
    occurred_at: datetime
    attempt: int
    data: dict[str, Any]

    @property
    def kind(self) -> str:
        return self.type.removeprefix("classroom.")


def apply_analysis_report(work, event: ClassroomEventIn, now: datetime) -> str:
    """Apply `event` to `work` (analysis_status, analysis, attempts, error, provider, model, last_event_at): applied,
    stale or invalid. Work whose analysis was never asked for (analysis_status None) takes no report."""
    if work.analysis_status is None or work.analysis_status in FINAL:
        return STALE
    if event.kind in ORDERED and work.last_event_at is not None and event.occurred_at <= work.last_event_at:
        return STALE
    outcome = APPLIED
    kind, data = event.kind, event.data
    if kind == "completed":
        problems = result_problems(event.task, data["result"])
        if problems:
            reason = f"The AI's answer was not usable: {'; '.join(problems[:MAX_PROBLEMS_SHOWN])}"
            kind, data, outcome = "failed", {"reason": reason, "code": INVALID_OUTPUT}, INVALID
    if kind == "processing":
        work.analysis_status = "processing"
    elif kind == "retrying":
        work.analysis_status = "retrying"
        work.error, work.error_code = (data.get("reason") or "")[:MAX_REASON] or None, data.get("code")
    elif kind == "failed":
        work.analysis_status = "failed"
        work.error, work.error_code = (data.get("reason") or "unknown error")[:MAX_REASON], data.get("code")
    else:
        work.analysis_status = "completed"
        work.analysis = data["result"]
        work.provider, work.model = data.get("provider"), data.get("model")
        work.error = work.error_code = None
    work.attempts = max(work.attempts or 0, event.attempt)
    work.last_event_at = max(work.last_event_at or event.occurred_at, event.occurred_at)
    work.updated_at = now
    return outcome


def just_finished(outcome: str, work) -> bool:
    """Whether this report finished the analysis: its requester hears of it once (nothing applies after)."""
    return outcome in (APPLIED, INVALID) and work.analysis_status in FINAL
