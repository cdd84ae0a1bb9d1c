"""Applying the llm-worker's signed CareersEvent reports (POST /api/webhooks/careers), each webhook id once.

APPLIERS is the index of the careers tasks the worker reports on: `task` -> the function that applies one
report to one task inside the webhook's transaction and answers `applied`, `stale`, `not_found` (or `invalid`,
a result that was not usable: the task failed). Each task's line adds its own entry here. BATCHED holds the tasks
applied a batch at a time (built on the batch, they lock its tasks at once, apply each report in the batch's
order and write every change at the end): résumé feedback, the one asked for at a rate.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from gateway.careers.feedback_reports import FeedbackReports, apply_rewrite_report
from gateway.careers.interviews_service import apply_interview_report
from gateway.careers.study_guides_service import apply_guide_report
from gateway.careers.work_rules import NOT_FOUND, CareersEventIn
from gateway.platform.db import UnitOfWork
from gateway.platform.receipts import apply_once

Applier = Callable[[UnitOfWork, CareersEventIn, datetime], str]

APPLIERS: dict[str, Applier] = {
    "rewrite": apply_rewrite_report,
    "interview": apply_interview_report,
    "study_guide": apply_guide_report,
}
BATCHED = {"feedback": FeedbackReports}


def record_careers_events(uow: UnitOfWork, webhook_id: str, events: list[CareersEventIn]) -> dict[str, Any]:
    """Apply `events` in order in one transaction, once per webhook id; a replay gets the first answer back."""

    def apply(_session, now: datetime) -> dict:
        tasks = {event.task for event in events}
        batches = {task: kind(uow, events) for task, kind in BATCHED.items() if task in tasks}
        results = []
        for event in events:
            outcome = _apply(uow, batches, event, now)
            results.append({"id": event.id, "task": event.task, "task_id": str(event.task_id), "result": outcome})
        for batch in batches.values():
            batch.finish()
        return {"results": results}

    return apply_once(uow, webhook_id, "llm-worker", apply)


def _apply(uow: UnitOfWork, batches: dict, event: CareersEventIn, now: datetime) -> str:
    if event.task_id is None:
        return NOT_FOUND
    if event.task in batches:
        return batches[event.task].apply(event, now)
    applier = APPLIERS.get(event.task)
    return NOT_FOUND if applier is None else applier(uow, event, now)
