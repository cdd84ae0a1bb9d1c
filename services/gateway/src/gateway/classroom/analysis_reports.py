"""Applying the llm-worker's signed ClassroomEvent reports (POST /api/webhooks/classroom), each webhook id once.

APPLIERS is the index of the classroom's analyses the worker reports on: `task` -> the function that applies one
report inside the webhook's transaction and answers `applied`, `stale`, `not_found` (or `invalid`: a result that
was not usable, the analysis failed).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from gateway.classroom.analysis_rules import NOT_FOUND, ClassroomEventIn
from gateway.classroom.help_reports import apply_help_report
from gateway.classroom.recordings_reports import apply_recording_report
from gateway.platform.db import UnitOfWork
from gateway.platform.receipts import apply_once

Applier = Callable[[UnitOfWork, ClassroomEventIn, datetime], str]

APPLIERS: dict[str, Applier] = {
    "help_analysis": apply_help_report,
    "recording_analysis": apply_recording_report,
}


def record_classroom_events(uow: UnitOfWork, webhook_id: str, events: list[ClassroomEventIn]) -> dict[str, Any]:
    """Apply `events` in order in one transaction, once per webhook id; a replay gets the first answer back."""

    def apply(_session, now: datetime) -> dict:
        results = []
        for event in events:
            applier = APPLIERS.get(event.task)
            outcome = NOT_FOUND if applier is None else applier(uow, event, now)
            results.append({"id": event.id, "task": event.task, "task_id": str(event.task_id), "result": outcome})
        return {"results": results}

    return apply_once(uow, webhook_id, "llm-worker", apply)
