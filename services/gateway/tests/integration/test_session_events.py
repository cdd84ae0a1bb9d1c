"""record_session_event on the real database: numbered in the change's transaction, gap-free under concurrency,
the state after the change in the outbox, nothing left by a rolled-back change."""

import threading
import uuid
from datetime import UTC, datetime

import pytest

from gateway.classroom.models import ClassSession, Participant
from gateway.classroom.session_events import record_session_event
from gateway.platform.errors import NotFound


def _session(classroom, status="WAITING", step_index=None) -> tuple[uuid.UUID, dict]:
    owner = classroom.instructor()
    lecture = classroom.lecture(owner, tasks=(2, 1))
    now = datetime.now(UTC)
    row = ClassSession(
        id=uuid.uuid4(),
        lecture_id=uuid.UUID(lecture["id"]),
        instructor_id=uuid.UUID(owner.user["id"]),
        title="수업",
        code=uuid.uuid4().hex[:6].upper(),
        status=status,
        current_step_id=None if step_index is None else uuid.UUID(lecture["steps"][step_index]),
        event_seq=0,
        created_at=now,
        updated_at=now,
    )
    with classroom.db.uow() as session:
        session.add(row)
        session.commit()
    return row.id, lecture


def test_an_event_is_numbered_and_carries_the_state_after_the_change(classroom):
    session_id, lecture = _session(classroom, status="IN_PROGRESS", step_index=1)
    uow = classroom.db.uow()
    with uow as session:
        now = datetime.now(UTC)
        session.add(
            Participant(
                id=uuid.uuid4(),
                session_id=session_id,
                device_id="dev-1",
                display_name="김영희",
                status="ACTIVE",
                joined_at=now,
                last_active_at=now,
            )
        )  # not flushed yet: the state must still count it
        event = record_session_event(uow, session_id, "participant_joined", {"participant_id": uuid.uuid4()})
        uow.commit()
    assert event.seq == 1
    [stored] = classroom.events(str(session_id))
    assert stored["routing_key"] == "classroom.participant_joined" and stored["seq"] == 1
    state = stored["state"]
    assert state["status"] == "IN_PROGRESS" and state["participants"] == 1 and state["total_steps"] == 3
    step = state["current_step"]
    assert step["id"] == lecture["steps"][1] and step["position"] == 2 and step["total_steps"] == 3
    assert step["title"] == "단계 1-2" and step["guide_text"] == "버튼 2을 누르세요"
    assert isinstance(stored["data"]["participant_id"], str)  # ids become JSON strings
    assert classroom.sql("SELECT event_seq FROM class_sessions WHERE id = %s", session_id) == [(1,)]


def test_a_rolled_back_change_takes_its_number_with_it(classroom):
    session_id, _ = _session(classroom)
    uow = classroom.db.uow()
    with uow:
        record_session_event(uow, session_id, "instructor_message", {"message": "hi"})
    with uow:
        event = record_session_event(uow, session_id, "instructor_message", {"message": "hi again"})
        uow.commit()
    assert event.seq == 1
    assert [e["data"]["message"] for e in classroom.events(str(session_id))] == ["hi again"]


def test_an_unknown_session_or_type_is_refused(classroom):
    uow = classroom.db.uow()
    with uow, pytest.raises(NotFound):
        record_session_event(uow, uuid.uuid4(), "step_changed")
    session_id, _ = _session(classroom)
    with uow, pytest.raises(ValueError):
        record_session_event(uow, session_id, "lecture_exploded")


def test_concurrent_changes_are_numbered_one_after_the_other_without_gaps(classroom):
    session_id, _ = _session(classroom)
    per_thread, errors = 15, []

    def publish(name: str):
        try:
            for n in range(per_thread):
                uow = classroom.db.uow()
                with uow:
                    record_session_event(uow, session_id, "instructor_message", {"message": f"{name}{n}"})
                    uow.commit()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=publish, args=(name,)) for name in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    events = classroom.events(str(session_id))
    assert [e["seq"] for e in events] == list(range(1, 2 * per_thread + 1))
    for name in "ab":  # each thread's events in its own order
        assert [e["data"]["message"] for e in events if e["data"]["message"][0] == name] == [
            f"{name}{n}" for n in range(per_thread)
        ]
