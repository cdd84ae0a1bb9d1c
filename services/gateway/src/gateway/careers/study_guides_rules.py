"""How a study guide reacts to the worker's reports: forward only (work_rules), its items stored in order once.

A guide has one step, so a report's `step` is not read. A deleted guide takes no more reports (stale).
A completed result that does not match the schema fails the guide (`invalid`), as a feedback's does.
"""

from datetime import datetime

from gateway.careers.work_rules import STALE
from gateway.careers.work_rules import apply_event as apply_careers_event


def source_problem(feedback_id, posting_id, resume_id) -> tuple[str, str] | None:
    """Why a guide cannot be asked for from these ids, as (field, reason); None when it can."""
    if (feedback_id is None) == (posting_id is None):
        return "feedback_id", "Give exactly one of feedback_id and posting_id."
    if resume_id is not None and posting_id is None:
        return "resume_id", "A résumé goes with posting_id only (a feedback brings its own résumé)."
    return None


def apply_event(guide, event, now: datetime, add_item) -> str:
    """Apply a worker's report to `guide` in place: applied, stale or invalid (work_rules.apply_event).

    `add_item(**fields)` appends an item; a deleted guide takes no report.
    """
    if guide.deleted_at is not None:
        return STALE

    def keep(result: dict) -> list[str]:
        guide.title, guide.description = result["title"], result["description"]
        for position, item in enumerate(result["items"], start=1):
            add_item(
                position=position,
                title=item["title"],
                content=item["content"],
                keywords=list(item["keywords"]),
                priority=item["priority"],
                estimated_hours=item["estimated_hours"],
            )
        return []

    return apply_careers_event(guide, event, now, "study_guide", keep)
