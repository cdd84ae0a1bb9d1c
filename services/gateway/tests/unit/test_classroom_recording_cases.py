"""The recording use cases and their analysis reports through a fake unit of work: the status machine, the limits,
the analysis command carrying every event in order, and its owner hearing of the outcome once."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fake_recordings import FakeRecordingStore
from fake_uow import FakeUnitOfWork

from gateway.classroom import recordings_service as recordings
from gateway.classroom.analysis_rules import ClassroomEventIn
from gateway.classroom.recordings_reports import apply_recording_report
from gateway.classroom.recordings_rules import EVENTS_MAX
from gateway.platform.errors import Conflict, NotFound

pytestmark = pytest.mark.unit
OWNER, OTHER = uuid.uuid4(), uuid.uuid4()
T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
RESULT = {"summary": "2 steps.", "steps": [], "hesitations": []}


@pytest.fixture
def store():
    return FakeRecordingStore()


@pytest.fixture
def uow(store):
    return FakeUnitOfWork(store)


def events(count: int) -> list[dict]:
    return [{"event_type": "CLICK", "occurred_at": T0 + timedelta(seconds=i), "element": f"b{i}"} for i in range(count)]


def started(uow) -> str:
    return str(recordings.start_recording(uow, OWNER, {"title": " 와이파이 "})["id"])


def report(recording_id: str, kind: str, seconds: float = 1, **data) -> ClassroomEventIn:
    return ClassroomEventIn("e", f"classroom.{kind}", "recording_analysis", uuid.UUID(recording_id),
                            T0 + timedelta(seconds=seconds), 1, data)  # fmt: skip


def test_events_are_numbered_across_batches_and_the_analysis_carries_them_all_in_order(uow, store):
    ident = started(uow)
    assert recordings.save_events(uow, OWNER, ident, events(2))["first_seq"] == 1
    assert recordings.save_events(uow, OWNER, ident, events(3))["first_seq"] == 3
    recordings.stop_recording(uow, OWNER, ident)
    view = recordings.analyze_recording(uow, OWNER, ident)
    assert (view["status"], view["analysis_status"], view["event_count"]) == ("PROCESSING", "queued", 5)
    [command] = store.messages
    assert command.recording_id == ident and [e["element"] for e in command.events] == ["b0", "b1", "b0", "b1", "b2"]
    assert command.events[2]["occurred_at"] == T0.isoformat() and "seq" not in command.events[0]


def test_illegal_moves_are_conflicts_that_change_nothing(uow, store):
    ident = started(uow)
    with pytest.raises(Conflict, match="RECORDING"):
        recordings.analyze_recording(uow, OWNER, ident)
    recordings.stop_recording(uow, OWNER, ident)
    with pytest.raises(Conflict, match="no events"):
        recordings.analyze_recording(uow, OWNER, ident)
    with pytest.raises(Conflict):
        recordings.save_events(uow, OWNER, ident, events(1))
    with pytest.raises(Conflict):
        recordings.stop_recording(uow, OWNER, ident)
    assert store.events[uuid.UUID(ident)] == [] and store.messages == []


def test_a_batch_that_does_not_fit_stores_nothing(uow, store):
    ident = started(uow)
    store.recordings[uuid.UUID(ident)].event_count = EVENTS_MAX - 1
    with pytest.raises(Conflict, match="do not fit"):
        recordings.save_events(uow, OWNER, ident, events(2))
    assert store.events[uuid.UUID(ident)] == [] and store.recordings[uuid.UUID(ident)].event_count == EVENTS_MAX - 1


def test_another_users_recording_and_a_lecture_not_theirs_are_not_found(uow, store):
    ident = started(uow)
    for call in (recordings.get_recording, recordings.stop_recording, recordings.analyze_recording):
        with pytest.raises(NotFound):
            call(uow, OTHER, ident)
    with pytest.raises(NotFound):
        recordings.save_events(uow, OTHER, ident, events(1))
    with pytest.raises(NotFound):
        recordings.get_recording(uow, OWNER, "not-an-id")
    with pytest.raises(NotFound):
        recordings.start_recording(uow, OWNER, {"title": "x", "lecture_id": uuid.uuid4()})
    lecture = uuid.uuid4()
    store.lectures[lecture] = {OWNER}
    assert recordings.start_recording(uow, OWNER, {"title": "x", "lecture_id": lecture})["lecture_id"] == lecture


def test_a_finished_analysis_is_told_once_and_a_failed_one_may_be_asked_again(uow, store):
    ident = started(uow)
    recordings.save_events(uow, OWNER, ident, events(2))
    recordings.stop_recording(uow, OWNER, ident)
    recordings.analyze_recording(uow, OWNER, ident)
    assert apply_recording_report(uow, report(ident, "failed", reason="boom", code="timeout"), T0) == "applied"
    assert apply_recording_report(uow, report(ident, "failed", 2, reason="boom"), T0) == "stale"
    assert [kind for _, kind, _, _ in store.told] == ["recording_analysis.failed"]
    assert recordings.get_recording(uow, OWNER, ident)["error"] == {"reason": "boom", "code": "timeout"}
    recordings.analyze_recording(uow, OWNER, ident)
    done = report(ident, "completed", 3, result=RESULT, provider="local", model="m")
    assert apply_recording_report(uow, done, T0) == "applied"
    view = recordings.get_recording(uow, OWNER, ident)
    assert (view["status"], view["analysis"], view["error"]) == ("ANALYZED", RESULT, None)
    assert store.told[-1][1:3] == ("recording_analysis.completed", {"title": "와이파이", "steps": 0, "hesitations": 0})
    assert apply_recording_report(uow, report(str(uuid.uuid4()), "processing"), T0) == "not_found"
