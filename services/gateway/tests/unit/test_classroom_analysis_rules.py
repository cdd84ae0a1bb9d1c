"""How a classroom analysis takes the worker's reports, without a database: the platform's vocabulary, forward only,
a result checked against its schema; what a help request's and a recording's status do meanwhile."""

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from gateway.classroom import help_rules, recordings_rules
from gateway.classroom.analysis_rules import (
    APPLIED,
    INVALID,
    STALE,
    ClassroomEventIn,
    apply_analysis_report,
    just_finished,
)

pytestmark = pytest.mark.unit
T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
RESULT = {
    "problem_diagnosis": "You tapped 'Search' 3 times.",
    "step_by_step_solution": ["Tap Settings."],
    "alternative_approaches": [],
    "confidence_score": 70,
    "estimated_difficulty": "EASY",
}


def work(status: str | None = "queued") -> SimpleNamespace:
    return SimpleNamespace(analysis_status=status, analysis=None, attempts=0, error=None, error_code=None,
                           provider=None, model=None, last_event_at=None, updated_at=None)  # fmt: skip


def event(kind: str, seconds: float = 0, attempt: int = 1, task: str = "help_analysis", **data) -> ClassroomEventIn:
    return ClassroomEventIn(f"e-{kind}-{seconds}", f"classroom.{kind}", task, uuid.uuid4(),
                            T0 + timedelta(seconds=seconds), attempt, data)  # fmt: skip


def test_processing_retrying_then_completed_keeps_the_result_and_who_made_it():
    w = work()
    assert apply_analysis_report(w, event("processing", 1), T0) == APPLIED and w.analysis_status == "processing"
    retrying = event("retrying", 2, reason="timeout: slow", code="timeout")
    assert apply_analysis_report(w, retrying, T0) == APPLIED
    assert (w.analysis_status, w.error_code) == ("retrying", "timeout")
    done = event("completed", 3, attempt=2, result=RESULT, provider="local", model="classroom-offline-v1")
    assert apply_analysis_report(w, done, T0) == APPLIED and just_finished(APPLIED, w)
    assert (w.analysis_status, w.analysis, w.provider, w.attempts, w.error) == ("completed", RESULT, "local", 2, None)


def test_a_finished_analysis_takes_no_report_and_a_late_one_never_moves_it_back():
    w = work()
    apply_analysis_report(w, event("processing", 5), T0)
    assert apply_analysis_report(w, event("processing", 4), T0) == STALE, "older than the last one applied"
    assert apply_analysis_report(w, event("retrying", 5, reason="x"), T0) == STALE, "no later than the last one"
    apply_analysis_report(w, event("failed", 6, reason="gave up", code="timeout"), T0)
    assert w.analysis_status == "failed"
    for late in (event("completed", 7, result=RESULT, provider="p", model="m"), event("processing", 8)):
        assert apply_analysis_report(w, late, T0) == STALE
    assert (w.analysis_status, w.analysis) == ("failed", None)


def test_a_result_off_its_schema_fails_the_analysis_as_invalid_output_and_keeps_nothing():
    w = work()
    broken = {**RESULT, "confidence_score": 140}
    outcome = apply_analysis_report(w, event("completed", 1, result=broken, provider="p", model="m"), T0)
    assert outcome == INVALID and just_finished(outcome, w)
    assert (w.analysis_status, w.error_code, w.analysis) == ("failed", "invalid_output", None)
    assert "confidence_score: 140 is greater than the maximum of 100" in w.error


def test_the_result_is_checked_against_its_own_tasks_schema():
    w = work()
    outcome = apply_analysis_report(w, event("completed", 1, task="recording_analysis", result=RESULT,
                                             provider="p", model="m"), T0)  # fmt: skip
    assert outcome == INVALID and "summary" in w.error


def test_work_whose_analysis_was_never_asked_for_takes_no_report():
    w = work(status=None)
    assert apply_analysis_report(w, event("completed", 1, result=RESULT, provider="p", model="m"), T0) == STALE
    assert w.analysis is None


def test_a_help_request_moves_forward_only():
    assert help_rules.status_after_report("PENDING") == "ANALYZING"
    assert help_rules.status_after_report("ANALYZING") == "ANALYZING"
    assert help_rules.status_after_report("RESOLVED") == "RESOLVED", "a resolved request stays resolved"
    assert help_rules.resolve_conflict("RESOLVED") and help_rules.resolve_conflict("ANALYZING") is None
    assert help_rules.session_conflict("ENDED") and help_rules.session_conflict("REVIEW_MODE") is None


def test_who_asked_and_what_may_be_rated():
    user, participant = uuid.uuid4(), uuid.uuid4()
    asked = SimpleNamespace(user_id=None, participant_id=participant, feedback_rating=None, analysis_status="queued",
                            status="PENDING")  # fmt: skip
    assert help_rules.is_requester(asked, None, participant) and not help_rules.is_requester(asked, user, None)
    assert not help_rules.is_requester(asked, None, None)
    assert "nothing to rate yet" in help_rules.feedback_conflict(asked)
    asked.analysis_status = "completed"
    assert help_rules.feedback_conflict(asked) is None
    asked.analysis_status, asked.status = "failed", "RESOLVED"
    assert help_rules.feedback_conflict(asked) is None
    asked.feedback_rating = 4
    assert "already" in help_rules.feedback_conflict(asked)


@pytest.mark.parametrize(
    ("action", "status", "allowed"),
    [
        ("save events", "RECORDING", True),
        ("save events", "COMPLETED", False),
        ("stop", "RECORDING", True),
        ("stop", "COMPLETED", False),
        ("analyze", "RECORDING", False),
        ("analyze", "COMPLETED", True),
        ("analyze", "PROCESSING", False),
        ("analyze", "ANALYZED", False),
        ("analyze", "FAILED", True),
    ],
)
def test_the_recording_status_machine(action, status, allowed):
    assert (recordings_rules.move_conflict(action, status) is None) is allowed


def test_a_recordings_limits_and_where_an_analysis_leaves_it():
    assert recordings_rules.room_conflict(4990, 10) is None and recordings_rules.room_conflict(4990, 11)
    assert recordings_rules.analysis_conflict(0) and recordings_rules.analysis_conflict(1) is None
    assert recordings_rules.status_after_analysis("completed", "PROCESSING") == "ANALYZED"
    assert recordings_rules.status_after_analysis("failed", "PROCESSING") == "FAILED"
    assert recordings_rules.status_after_analysis("retrying", "PROCESSING") == "PROCESSING"
