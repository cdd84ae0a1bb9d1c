"""A help request's analysis reports, applied inside the webhook's transaction (analysis_reports.APPLIERS).

When the analysis finishes the requester hears of it: a signed-in learner through the notifier
(help_request.completed or .failed), and in a session everyone following it through a numbered help_analyzed
session event (the learner's app then reads the diagnosis; the instructor's dashboard sees it done).
"""

from datetime import datetime

from gateway.classroom.analysis_rules import (
    APPLIED,
    INVALID,
    NOT_FOUND,
    ClassroomEventIn,
    apply_analysis_report,
    just_finished,
)
from gateway.classroom.help_rules import status_after_report
from gateway.classroom.help_store import HelpStore
from gateway.classroom.session_events import record_session_event
from gateway.platform.db import UnitOfWork

MAX_REASON_TOLD = 300


def apply_help_report(uow: UnitOfWork, event: ClassroomEventIn, now: datetime) -> str:
    """Apply one report about a help request's analysis: applied, stale, invalid or not_found."""
    store = uow.store(HelpStore)
    help_request = store.get(event.task_id, lock=True)
    if help_request is None:
        return NOT_FOUND
    outcome = apply_analysis_report(help_request, event, now)
    if outcome in (APPLIED, INVALID):
        help_request.status = status_after_report(help_request.status)
    if not just_finished(outcome, help_request):
        return outcome
    done = help_request.analysis_status == "completed"
    analysis = help_request.analysis or {}
    if help_request.user_id is not None:
        _, title = store.names(help_request)
        facts = {"subtask_title": title}
        if done:
            facts |= {"confidence_score": analysis.get("confidence_score")}
        else:
            facts |= {"reason": (help_request.error or "")[:MAX_REASON_TOLD], "code": help_request.error_code}
        kind = "help_request.completed" if done else "help_request.failed"
        store.tell(help_request.user_id, kind, facts, str(help_request.id))
    if help_request.session_id is not None:
        data = {
            "help_request_id": help_request.id,
            "participant_id": help_request.participant_id,
            "analysis_status": help_request.analysis_status,
            "confidence_score": analysis.get("confidence_score"),
            "estimated_difficulty": analysis.get("estimated_difficulty"),
        }
        record_session_event(uow, help_request.session_id, "help_analyzed", data)
    return outcome
