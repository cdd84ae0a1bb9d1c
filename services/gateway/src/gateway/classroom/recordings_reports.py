"""A recording's analysis reports, applied inside the webhook's transaction (analysis_reports.APPLIERS).

A finished analysis leaves the recording ANALYZED (with the steps and hesitations) or FAILED (with the reason; it
may be analysed again), and its owner hears of it through the notifier.
"""

from datetime import datetime

from gateway.classroom.analysis_rules import NOT_FOUND, ClassroomEventIn, apply_analysis_report, just_finished
from gateway.classroom.recordings_rules import status_after_analysis
from gateway.classroom.recordings_store import RecordingStore
from gateway.platform.db import UnitOfWork

MAX_REASON_TOLD = 300


def apply_recording_report(uow: UnitOfWork, event: ClassroomEventIn, now: datetime) -> str:
    """Apply one report about a recording's analysis: applied, stale, invalid or not_found."""
    store = uow.store(RecordingStore)
    recording = store.locked(event.task_id)
    if recording is None:
        return NOT_FOUND
    outcome = apply_analysis_report(recording, event, now)
    if not just_finished(outcome, recording):
        return outcome
    recording.status = status_after_analysis(recording.analysis_status, recording.status)
    facts = {"title": recording.title}
    if recording.status == "ANALYZED":
        recording.analyzed_at = event.occurred_at
        analysis = recording.analysis or {}
        facts |= {"steps": len(analysis.get("steps", [])), "hesitations": len(analysis.get("hesitations", []))}
        store.tell(recording.owner_id, "recording_analysis.completed", facts, str(recording.id))
    else:
        facts |= {"reason": (recording.error or "")[:MAX_REASON_TOLD], "code": recording.error_code}
        store.tell(recording.owner_id, "recording_analysis.failed", facts, str(recording.id))
    return outcome
