"""Live sessions without a database: the join code's alphabet, the status machine, the controls over fakes."""

import copy
import itertools
import uuid
from datetime import UTC, datetime

import pytest
from fake_sessions import FakeSessionEventStore, FakeSessionStore
from fake_uow import FakeUnitOfWork

from gateway.classroom import sessions_rules as rules
from gateway.classroom import sessions_service as sessions
from gateway.classroom.models import ClassSession
from gateway.platform.errors import Conflict, InvalidInput, NotFound

LOOK_ALIKES = "0OQD1ILJ2Z5S8BUV6G"


def test_the_alphabet_has_no_look_alikes_and_codes_use_it_only():
    assert not set(LOOK_ALIKES) & set(rules.CODE_ALPHABET)
    assert len(set(rules.CODE_ALPHABET)) == len(rules.CODE_ALPHABET) >= 16
    for _ in range(200):
        code = rules.new_code()
        assert len(code) == rules.CODE_LENGTH and set(code) <= set(rules.CODE_ALPHABET)


def test_codes_are_tried_a_bounded_number_of_times():
    picks = itertools.cycle(rules.CODE_ALPHABET)
    tried = list(rules.codes(choice=lambda alphabet: next(picks)))
    assert len(tried) == rules.CODE_ATTEMPTS and tried[:2] == ["3479AC", "EFHKMN"]  # each a fresh draw


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("ac7kmx", "AC7KMX"),
        (" AC7-KMX ", "AC7KMX"),
        ("AC7 KMX", "AC7KMX"),
        ("AC7KM", None),
        ("AC7KM0", None),
        ("OOOOOO", None),
        ("", None),
        ("AC7KMXA", None),
        ("ÄC7KMX", None),
    ],
)
def test_a_typed_code_is_normalised_or_refused(raw, code):
    assert rules.normalise_code(raw) == code


def test_the_status_machine():
    legal = {(s, a) for a, (froms, _) in rules.MOVES.items() for s in froms}
    assert legal == {
        ("WAITING", "start"),
        ("IN_PROGRESS", "next-step"),
        ("IN_PROGRESS", "pause"),
        ("PAUSED", "resume"),
        ("WAITING", "end"),
        ("IN_PROGRESS", "end"),
        ("PAUSED", "end"),
        ("REVIEW_MODE", "end"),
        ("ENDED", "review"),
        ("WAITING", "broadcast"),
        ("IN_PROGRESS", "broadcast"),
        ("PAUSED", "broadcast"),
        ("REVIEW_MODE", "broadcast"),
    }
    for status, action in itertools.product(rules.STATUSES, rules.CONTROLS):
        conflict = rules.move_conflict(action, status)
        assert (conflict is None) == ((status, action) in legal), (status, action)
        if conflict:
            assert status in conflict and action in conflict
    assert [
        rules.status_after(a, s)
        for s, a in [
            ("WAITING", "start"),
            ("IN_PROGRESS", "pause"),
            ("PAUSED", "resume"),
            ("PAUSED", "end"),
            ("ENDED", "review"),
            ("IN_PROGRESS", "next-step"),
        ]
    ] == ["IN_PROGRESS", "PAUSED", "IN_PROGRESS", "ENDED", "REVIEW_MODE", "IN_PROGRESS"]
    assert not rules.JOINABLE & {"ENDED"} and "REVIEW_MODE" in rules.JOINABLE


def test_the_step_after():
    steps = ["a", "b", "c"]
    assert [rules.step_after(steps, s) for s in (None, "a", "b", "c", "gone")] == ["a", "b", "c", None, "a"]
    assert rules.step_after([], None) is None
    assert rules.completed_all({"a", "b", "c", "x"}, steps) and not rules.completed_all({"a"}, steps)
    assert not rules.completed_all(set(), [])


def _world(status="WAITING", step=None, steps=3):
    step_ids = [uuid.uuid4() for _ in range(steps)]
    now = datetime.now(UTC)
    session = ClassSession(
        id=uuid.uuid4(),
        lecture_id=uuid.uuid4(),
        instructor_id=uuid.uuid4(),
        title="t",
        code="AC7KMX",
        status=status,
        current_step_id=None if step is None else step_ids[step],
        event_seq=0,
        step_seq=0,
        created_at=now,
        updated_at=now,
    )
    store = FakeSessionStore([session], step_ids)
    events = FakeSessionEventStore(store)
    return session, step_ids, store, events, FakeUnitOfWork(store, events)


def test_start_then_next_steps_publish_numbered_events():
    session, step_ids, store, events, uow = _world()
    view = sessions.control(uow, session.instructor_id, str(session.id), "start", "hello")
    assert view["status"] == "IN_PROGRESS" and session.current_step_id == step_ids[0]
    assert store.moves == [(step_ids[0], True)]
    sessions.control(uow, session.instructor_id, str(session.id), "next-step")
    assert [(m.seq, m.type) for m in events.messages] == [
        (1, "session_status_changed"),
        (2, "step_changed"),
        (3, "step_changed"),
    ]
    assert events.messages[0].data["message"] == "hello" and events.messages[2].data["step"]["position"] == 2
    assert [c[1] for c in store.controls] == ["start", "next-step"] and uow.commits == 2


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (s, a)
        for s in rules.STATUSES
        for a in ("start", "next-step", "pause", "resume", "end", "review")
        if rules.move_conflict(a, s)
    ],
)
def test_an_illegal_control_raises_and_leaves_everything_as_it_was(status, action):
    session, _, store, events, uow = _world(status, step=1)
    before = copy.deepcopy((vars(store)["controls"], events.messages, session.status, session.current_step_id))
    with pytest.raises(Conflict):
        sessions.control(uow, session.instructor_id, str(session.id), action)
    assert (store.controls, events.messages, session.status, session.current_step_id) == before
    assert uow.commits == 0


def test_past_the_last_step_and_a_foreign_step_are_refused():
    session, step_ids, _, events, uow = _world("IN_PROGRESS", step=2)
    with pytest.raises(Conflict, match="last step"):
        sessions.control(uow, session.instructor_id, session.id, "next-step")
    with pytest.raises(InvalidInput):
        sessions.control(uow, session.instructor_id, session.id, "next-step", step_id=uuid.uuid4())
    assert events.messages == [] and session.current_step_id == step_ids[2]


def test_another_instructors_or_an_unknown_session_is_not_found():
    session, _, _, events, uow = _world()
    for who, which in (
        (uuid.uuid4(), str(session.id)),
        (session.instructor_id, str(uuid.uuid4())),
        (session.instructor_id, "not-an-id"),
    ):
        with pytest.raises(NotFound):
            sessions.control(uow, who, which, "start")
    assert events.messages == [] and session.status == "WAITING"
