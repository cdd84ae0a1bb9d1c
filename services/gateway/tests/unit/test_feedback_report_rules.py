"""Feedback and rewrite reports through a fake unit of work: forward only, results checked, each owner told once."""

import uuid
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from fake_feedback import FakeFeedbackStore, FakeResumeStore
from fake_reports import FakeReceiptStore
from fake_uow import FakeUnitOfWork

from gateway.careers.reports import APPLIERS, BATCHED, record_careers_events
from gateway.careers.work_rules import CareersEventIn
from gateway.notifications.rules import render

OWNER = uuid.uuid4()
T0 = datetime(2026, 1, 1, tzinfo=UTC)
FEEDBACK_RESULT = {
    "parent_content": "# 김하늘\n\n## Experience\n- Backend engineer",
    "matching_rate": 72,
    "feedback_contents": [
        {"division": "1", "result": "Clear, quantified experience."},
        {"division": "2", "result": "Kubernetes is required and missing."},
        {"division": "3", "result": "Lead with the payments project."},
    ],
}
REWRITE_RESULT = {
    "title": "백엔드 개발자 이력서 (개선)",
    "self_introduction": "5년차 백엔드 개발자입니다.",
    "experiences": [
        {
            "job_title": "Backend engineer",
            "department": None,
            "position": "Senior",
            "job_description": "Cut p95 latency by 40%.",
            "employment_status": True,
            "start_date": "2021-03-02",
            "end_date": None,
        }
    ],
    "educations": [],
    "projects": [],
    "activities": [],
    "qualifications": [],
    "technology_stacks": [{"name": "Python"}, {"name": "Kubernetes"}],
}


def _work(**values):
    common = dict(id=uuid.uuid4(), owner_id=OWNER, status="queued", attempts=0, error=None, error_code=None,
                  provider=None, model=None, usage=None, started_at=None, completed_at=None, failed_at=None,
                  last_event_at=None, updated_at=T0)  # fmt: skip
    return SimpleNamespace(**{**common, **values})


def _feedback(**values):
    defaults = dict(kind="posting", resume_id=uuid.uuid4(), resume_title="백엔드 이력서", company="Toss",
                    parent_content=None, matching_rate=None, contents=[], deleted_at=None)  # fmt: skip
    return _work(**{**defaults, **values})


def _event(work, kind: str, seconds: int, task="feedback", n=0, **data) -> CareersEventIn:
    at = T0 + timedelta(seconds=seconds)
    return CareersEventIn(f"{work.id}:{kind}:{n}", f"careers.{kind}", task, work.id, 0, at, 1, data)


def _completed(work, seconds: int, result=None, task="feedback") -> CareersEventIn:
    result = FEEDBACK_RESULT if result is None else result
    return _event(work, "completed", seconds, task, result=result, provider="offline", model="rules-1")


@pytest.fixture
def feedback():
    return _feedback()


@pytest.fixture
def original(feedback):
    document = {name: None for name in ("email", "phone", "address", "gender", "military_service")}
    document |= {"title": "백엔드 이력서", "resume_type": "1", "name": "김하늘", "birth_date": date(1995, 5, 1)}
    document |= {"self_introduction": "안녕하세요", "id": feedback.resume_id, "owner_id": OWNER}
    sections = ("experiences", "educations", "projects", "activities", "qualifications", "technology_stacks")
    return document | {section: [] for section in sections}


@pytest.fixture
def rewrite(feedback):
    return _work(feedback_id=feedback.id, resume_id=None)


@pytest.fixture
def store(feedback, rewrite):
    return FakeFeedbackStore([feedback], [rewrite])


@pytest.fixture
def resumes(original):
    return FakeResumeStore([original])


@pytest.fixture
def uow(store, resumes):
    return FakeUnitOfWork(FakeReceiptStore(), store, resumes)


def results(answer: dict) -> list[str]:
    return [r["result"] for r in answer["results"]]


def test_feedback_and_rewrite_are_in_the_dispatch():
    assert "feedback" in BATCHED and "rewrite" in APPLIERS


def test_a_feedback_runs_to_completion_keeps_its_points_in_order_and_tells_its_owner_once(uow, store, feedback):
    answer = record_careers_events(uow, "w1", [_event(feedback, "processing", 1), _completed(feedback, 2)])
    assert results(answer) == ["applied", "applied"] and answer["replayed"] is False
    assert (feedback.status, feedback.matching_rate, feedback.provider) == ("completed", 72, "offline")
    assert feedback.parent_content.startswith("# 김하늘")
    assert [(c.position, c.division) for c in feedback.contents] == [(1, "1"), (2, "2"), (3, "3")]
    assert feedback.started_at == T0 + timedelta(seconds=1) and feedback.completed_at == T0 + timedelta(seconds=2)
    assert [(t[1], t[2]["matching_rate"], t[3]) for t in store.told] == [
        ("resume_feedback.completed", 72, str(feedback.id))
    ]


def test_a_replayed_webhook_gets_its_first_answer_and_changes_nothing(uow, store, feedback):
    first = record_careers_events(uow, "w1", [_completed(feedback, 2)])
    again = record_careers_events(uow, "w1", [_completed(feedback, 2)])
    assert again["replayed"] is True and again["results"] == first["results"]
    assert len(feedback.contents) == 3 and len(store.told) == 1


def test_a_duplicate_report_under_a_new_webhook_id_is_stale(uow, store, feedback):
    record_careers_events(uow, "w1", [_completed(feedback, 2)])
    answer = record_careers_events(uow, "w2", [_completed(feedback, 2)])
    assert results(answer) == ["stale"] and len(feedback.contents) == 3 and len(store.told) == 1


@pytest.mark.parametrize("late", ["processing", "retrying", "failed"])
def test_a_late_report_after_completion_never_moves_it_back(uow, store, feedback, late):
    record_careers_events(uow, "w1", [_completed(feedback, 5)])
    answer = record_careers_events(uow, "w2", [_event(feedback, late, 9, reason="late", code="x")])
    assert results(answer) == ["stale"] and feedback.status == "completed" and feedback.error is None


def test_an_older_processing_report_is_stale_and_a_retry_then_a_new_attempt_apply(uow, feedback):
    retrying = _event(feedback, "retrying", 2, reason="rate limited", code="rate_limit")
    answer = record_careers_events(uow, "w1", [retrying, _event(feedback, "processing", 1)])
    assert results(answer) == ["applied", "stale"] and feedback.status == "retrying"
    answer = record_careers_events(uow, "w2", [_event(feedback, "processing", 3, n=1)])
    assert results(answer) == ["applied"] and feedback.status == "processing"


@pytest.mark.parametrize(
    "result",
    [
        {**FEEDBACK_RESULT, "matching_rate": 101},
        {**FEEDBACK_RESULT, "feedback_contents": [{"division": "9", "result": "?"}]},
        {**FEEDBACK_RESULT, "feedback_contents": []},
        {"parent_content": "x"},
        {**FEEDBACK_RESULT, "extra": 1},
    ],
    ids=["rate", "division", "no-points", "missing", "extra"],
)
def test_an_invalid_result_fails_the_feedback_keeps_nothing_and_tells_the_failure(uow, store, feedback, result):
    answer = record_careers_events(uow, "w1", [_completed(feedback, 2, result)])
    assert results(answer) == ["invalid"]
    assert (feedback.status, feedback.error_code) == ("failed", "invalid_output")
    assert feedback.contents == [] and feedback.matching_rate is None and feedback.parent_content is None
    assert [t[1] for t in store.told] == ["resume_feedback.failed"] and store.told[0][2]["code"] == "invalid_output"


def test_a_failure_is_kept_with_its_reason_and_told(uow, store, feedback):
    answer = record_careers_events(uow, "w1", [_event(feedback, "failed", 2, reason="model down", code="provider")])
    assert results(answer) == ["applied"] and (feedback.status, feedback.error) == ("failed", "model down")
    title, body = render(store.told[0][1], store.told[0][2])
    assert title == "Résumé feedback failed" and "model down" in body and "백엔드 이력서" in body


def test_an_unknown_task_id_or_task_is_not_found_and_the_rest_of_the_batch_applies(uow, feedback):
    unknown = CareersEventIn("u1", "careers.processing", "feedback", uuid.uuid4(), 0, T0, 1, {})
    other_task = CareersEventIn("u2", "careers.processing", "no_such_task", feedback.id, 0, T0, 1, {})
    answer = record_careers_events(uow, "w1", [unknown, other_task, _event(feedback, "processing", 1)])
    assert results(answer) == ["not_found", "not_found", "applied"]


def test_a_deleted_feedback_takes_its_result_but_its_owner_is_not_told(uow, store):
    deleted = _feedback(deleted_at=T0)
    store.feedbacks[deleted.id] = deleted
    assert results(record_careers_events(uow, "w1", [_completed(deleted, 2)])) == ["applied"]
    assert deleted.status == "completed" and store.told == []


def test_a_completed_rewrite_adds_a_new_resume_linked_to_its_feedback(uow, store, resumes, rewrite, feedback):
    answer = record_careers_events(uow, "w1", [_completed(rewrite, 2, REWRITE_RESULT, "rewrite")])
    assert results(answer) == ["applied"] and rewrite.status == "completed"
    new = resumes.resumes[rewrite.resume_id]
    assert (new["owner_id"], new["source"], new["title"]) == (OWNER, feedback.id, REWRITE_RESULT["title"])
    assert (new["resume_type"], new["name"], new["birth_date"]) == ("2", "김하늘", date(1995, 5, 1))
    assert [s["name"] for s in new["technology_stacks"]] == ["Python", "Kubernetes"]
    assert [(t[1], t[2]["resume_id"]) for t in store.told] == [("resume_rewrite.completed", str(rewrite.resume_id))]
    assert (
        record_careers_events(uow, "w2", [_completed(rewrite, 3, REWRITE_RESULT, "rewrite")])["results"][0]["result"]
        == "stale"
        and len(resumes.resumes) == 2
    )


def test_a_rewrite_whose_resume_breaks_the_resume_rules_fails_and_adds_nothing(uow, store, resumes, rewrite):
    backwards = {**REWRITE_RESULT["experiences"][0], "start_date": "2024-01-01", "end_date": "2020-01-01"}
    result = {**REWRITE_RESULT, "experiences": [backwards]}  # the schema takes it; the résumé rules do not
    answer = record_careers_events(uow, "w1", [_completed(rewrite, 2, result, "rewrite")])
    assert results(answer) == ["invalid"] and (rewrite.status, rewrite.error_code) == ("failed", "invalid_output")
    assert "end_date" in rewrite.error and rewrite.resume_id is None and len(resumes.resumes) == 1
    assert [t[1] for t in store.told] == ["resume_rewrite.failed"]


def test_a_rewrite_of_a_deleted_resume_keeps_the_rewritten_content_only(uow, resumes, rewrite, original):
    original["deleted"] = True
    record_careers_events(uow, "w1", [_completed(rewrite, 2, REWRITE_RESULT, "rewrite")])
    new = resumes.resumes[rewrite.resume_id]
    assert new["name"] is None and new["title"] == REWRITE_RESULT["title"]


def test_every_careers_event_renders_a_title_of_its_own():
    for event_type in ("resume_feedback", "resume_rewrite", "interview", "study_guide"):
        for outcome in ("completed", "failed"):
            title, body = render(f"{event_type}.{outcome}", {"reason": None})
            assert title != f"{event_type}.{outcome}" and body and "None" not in body
