"""Job reports through a fake unit of work: a status only moves forward, each step once, a replay answered alike."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fake_reports import FakeJobReportStore, FakeReceiptStore
from fake_uow import FakeUnitOfWork

from gateway.jobs.reports import record_job_events
from gateway.jobs.reports_store import JobRow
from gateway.jobs.rules import JobEventIn

OWNER = uuid.uuid4()
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def queued(job_id: uuid.UUID, owner=OWNER) -> JobRow:
    return JobRow(job_id, owner, "queued", 0, None, None, None, None, None, None, None, None, None, None, None, [])


def event(job_id, kind: str, seconds: int, n: int = 0, **data) -> JobEventIn:
    return JobEventIn(f"{job_id}:{kind}:{n}", f"job.{kind}", job_id, T0 + timedelta(seconds=seconds), 1, data)


def completed(job_id, seconds: int) -> JobEventIn:
    steps = [{"step": "summary", "started_at": T0}, {"step": "checklist"}]
    return event(job_id, "completed", seconds, summary="S", checklist=["a", "b"], steps=steps)


@pytest.fixture
def job_id():
    return uuid.uuid4()


@pytest.fixture
def jobs(job_id):
    return FakeJobReportStore([queued(job_id)])


@pytest.fixture
def uow(jobs):
    return FakeUnitOfWork(FakeReceiptStore(), jobs)


def results(answer: dict) -> list[str]:
    return [r["result"] for r in answer["results"]]


def test_a_job_runs_to_completion_and_its_owner_hears_of_start_and_end(uow, jobs, job_id):
    answer = record_job_events(uow, "w1", "llm-worker", [event(job_id, "processing", 1), completed(job_id, 2)])
    assert results(answer) == ["applied", "applied"] and answer["replayed"] is False
    job = jobs.jobs[job_id]
    assert (job.status, job.summary, job.checklist, job.started_at) == (
        "completed",
        "S",
        ["a", "b"],
        T0 + timedelta(seconds=1),
    )
    assert [s.name for s in job.steps] == ["summary", "checklist"]
    assert [(owner, kind) for owner, kind, *_ in jobs.told] == [(OWNER, "job.processing"), (OWNER, "job.completed")]
    assert jobs.told[1][2] == {"items": 2}


def test_a_finished_job_never_moves_back(uow, jobs, job_id):
    record_job_events(uow, "w1", "llm-worker", [completed(job_id, 5)])
    late = [event(job_id, "processing", 9), event(job_id, "failed", 9, reason="late"), event(job_id, "retrying", 9)]
    assert results(record_job_events(uow, "w2", "llm-worker", late)) == ["stale", "stale", "stale"]
    assert jobs.jobs[job_id].status == "completed" and jobs.jobs[job_id].error is None


def test_an_older_progress_report_is_ignored(uow, jobs, job_id):
    record_job_events(uow, "w1", "llm-worker", [event(job_id, "retrying", 5, reason="busy")])
    answer = record_job_events(uow, "w2", "llm-worker", [event(job_id, "processing", 3)])
    assert results(answer) == ["stale"] and jobs.jobs[job_id].status == "retrying"


def test_a_step_is_recorded_once(uow, jobs, job_id):
    again = [event(job_id, "step_completed", 1, n, step="summary", summary="S") for n in range(2)]
    assert results(record_job_events(uow, "w1", "llm-worker", again)) == ["applied", "stale"]
    assert [s.name for s in jobs.jobs[job_id].steps] == ["summary"] and jobs.jobs[job_id].status == "processing"


def test_a_replayed_batch_gets_the_first_answer_and_changes_nothing(uow, jobs, job_id):
    first = record_job_events(uow, "w1", "llm-worker", [event(job_id, "failed", 1, reason="boom", code="E1")])
    told, writes = list(jobs.told), jobs.writes
    replay = record_job_events(uow, "w1", "llm-worker", [completed(job_id, 2)])
    assert replay == {**first, "replayed": True}
    assert (jobs.jobs[job_id].status, jobs.jobs[job_id].error) == ("failed", "boom")
    assert (jobs.told, jobs.writes) == (told, writes)


def test_unknown_jobs_are_not_found_and_a_job_without_owner_tells_nobody(uow, jobs):
    orphan = uuid.uuid4()
    jobs.jobs[orphan] = queued(orphan, owner=None)
    batch = [event(uuid.uuid4(), "processing", 1), event("not-a-uuid", "processing", 1), event(orphan, "processing", 1)]
    assert results(record_job_events(uow, "w1", "llm-worker", batch)) == ["not_found", "not_found", "applied"]
    assert jobs.told == []


def test_a_batch_is_one_read_and_one_write_whatever_its_size(uow, jobs, job_id):
    batch = [event(job_id, "step_completed", i, i, step=f"s{i}") for i in range(20)]
    record_job_events(uow, "w1", "llm-worker", batch)
    assert jobs.writes == 1 and len(jobs.jobs[job_id].steps) == 20
