"""How a résumé feedback and a rewrite take the worker's reports: forward only, a result checked before it is kept.

The status machine is every careers task's (work_rules.apply_report). A completed result is checked again
against its JSON Schema (shared.messages.careers_results), and a rewrite's new résumé against the résumé API's
own rules: the worker checks first, so a result that fails here comes from a worker of another version. The task
then fails with `invalid_output` and the reasons (answered `invalid`) instead of the webhook being refused with a
422: a refusal would refuse the whole batch it came in, and leave the task `processing` for good while the
worker redelivers the same result; this way the owner hears that it failed, and nothing of the result is kept.
"""

import dataclasses
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from gateway.careers.models import FeedbackContent
from gateway.careers.work_rules import APPLIED, FINAL, apply_report
from shared.messages.careers_results import result_problems

INVALID = "invalid"  # a completed result that is not usable: the task failed with INVALID_OUTPUT
INVALID_OUTPUT = "invalid_output"
MAX_PROBLEMS_SHOWN = 5
FINISHING = frozenset({"careers.completed", "careers.failed"})


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


def apply_event(work, event, now: datetime, kind: str, keep: Callable[[dict], list[str]]) -> str:
    """Apply `event` to `work` in place: applied, stale or invalid.

    `kind` names the result's schema (a RESULT_SCHEMAS key); `keep(result)` stores a valid result on the task and
    answers why it could not (empty when it did); either list of problems fails the task as `invalid_output`.
    """
    if event.type != "careers.completed" or work.status in FINAL:
        return apply_report(work, event, now, _nothing)
    result = event.data["result"]
    problems = result_problems(kind, result) or keep(result)
    if not problems:
        return apply_report(work, event, now, _nothing)
    reason = f"The AI's answer was not usable: {'; '.join(problems[:MAX_PROBLEMS_SHOWN])}"
    failed = dataclasses.replace(event, type="careers.failed", data={"reason": reason, "code": INVALID_OUTPUT})
    apply_report(work, failed, now, _nothing)
    return INVALID


def just_finished(outcome: str, work) -> bool:
    """Whether this report finished the task: its owner hears of it once (a finished task takes no report after)."""
    return outcome in (APPLIED, INVALID) and work.status in FINAL


def keep_feedback(feedback, result: dict) -> list[str]:
    """Store a valid feedback result on `feedback`: the résumé as Markdown, the rate, the points in order."""
    feedback.parent_content = result["parent_content"]
    feedback.matching_rate = result["matching_rate"]
    feedback.contents = [
        FeedbackContent(id=uuid.uuid4(), position=position, division=item["division"], result=item["result"])
        for position, item in enumerate(result["feedback_contents"], start=1)
    ]
    return []


def rewritten_document(original: dict | None, kind: str, result: dict) -> dict[str, Any]:
    """The new résumé: the original's personal fields (if it still exists), the rewrite's content, and the
    résumé type that says where it came from (2: revised for a posting, 3: from general feedback)."""
    personal = ("name", "email", "phone", "address", "gender", "military_service", "birth_date")
    kept = {name: original.get(name) for name in personal} if original else {}
    return {**kept, **result, "resume_type": "2" if kind == "posting" else "3"}


def _nothing() -> None:
    """A completed report's result is kept before the status moves (keep), so there is nothing left to do."""
