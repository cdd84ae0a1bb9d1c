"""The classroom hub over a fake log: seq order whatever the arrival order, gaps closed by the state, resumes."""

import asyncio
import json
import uuid

import pytest

from notifier.classroom.hub import ClassroomHub
from notifier.classroom.log import Resume, Row, client_payload, contiguous
from notifier.classroom.watchers import DASHBOARD, INSTRUCTOR, LEARNER, Seat, Watcher
from shared.messages.classroom import SessionEvent

LECTURE, SESSION = str(uuid.uuid4()), str(uuid.uuid4())


class FakeLog:
    """SessionLog's behaviour over dicts, with its window."""

    def __init__(self, window: int = 100):
        self.logs: dict[str, dict[int, str]] = {}
        self.lectures: dict[str, set[str]] = {}
        self.window = window

    def record(self, event: SessionEvent) -> None:
        log = self.logs.setdefault(event.session_id, {})
        log.setdefault(event.seq, client_payload(event))
        for seq in sorted(log)[: -self.window]:
            del log[seq]
        self.lectures.setdefault(event.lecture_id, set()).add(event.session_id)

    def _rows(self, session_id: str, after: int) -> list[Row]:
        log = self.logs.get(session_id, {})
        return [Row(seq, log[seq]) for seq in sorted(log) if seq > after]

    async def record_and_read(self, event: SessionEvent, after: int) -> list[Row]:
        self.record(event)
        return self._rows(event.session_id, after)

    async def read_after(self, lecture_id: str, session_id: str, after: int) -> list[Row]:
        return self._rows(session_id, after)

    async def resume(self, lecture_id: str, session_id: str, last_seq: int | None) -> Resume:
        everything = self._rows(session_id, -1)
        after = None if last_seq is None else self._rows(session_id, last_seq)
        whole = after is not None and contiguous(last_seq, after)
        return Resume(everything[-1] if everything else None, after if whole else None)

    async def sessions(self, lecture_id: str) -> list[str]:
        return sorted(self.lectures.get(lecture_id, ()))


def event(seq: int, kind: str = "step_changed", session: str = SESSION, **data) -> SessionEvent:
    return SessionEvent(
        id=f"e{seq}", type=kind, session_id=session, code="HK7M3R", lecture_id=LECTURE, seq=seq,
        occurred_at="2026-12-07T00:00:00+00:00", data=data, state={"at": seq},
    )  # fmt: skip


def watcher(role: str = LEARNER, participant: str | None = "p1", session: str | None = SESSION) -> Watcher:
    return Watcher(Seat(role, LECTURE, session, "HK7M3R", participant), max_pending=100)


def drain(w: Watcher) -> list[dict]:
    batch = asyncio.get_event_loop().run_until_complete(w.next_batch(0.01)) or []
    return [json.loads(text) for text in batch]


def seqs(messages: list[dict]) -> list[tuple[str, int]]:
    return [(m["type"], m["seq"]) for m in messages if "seq" in m]


FALLBACK = Row(0, json.dumps({"type": "state", "session_id": SESSION, "code": "HK7M3R", "lecture_id": LECTURE,
                              "seq": 0, "state": {"at": 0}}))  # fmt: skip


@pytest.fixture
def run():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop.run_until_complete
    loop.close()


def greet(resumed: bool) -> str:
    return json.dumps({"type": "join_confirmed", "resumed": resumed})


def join(run, hub: ClassroomHub, w: Watcher, last_seq: int | None = None) -> None:
    hub.register(w)
    run(hub.join_session(w, last_seq, FALLBACK, greet))


def test_a_join_gets_the_latest_state_then_the_events_after_it(run):
    log = FakeLog()
    hub = ClassroomHub(log)
    for seq in (1, 2, 3):
        log.record(event(seq))
    w = watcher()
    join(run, hub, w)
    run(hub.publish(event(4)))
    messages = drain(w)
    assert messages[0] == {"type": "join_confirmed", "resumed": False}
    assert seqs(messages) == [("state", 3), ("step_changed", 4)]
    assert messages[1]["state"] == {"at": 3}


def test_a_session_with_nothing_in_the_log_starts_from_the_gateways_state(run):
    hub = ClassroomHub(FakeLog())
    w = watcher()
    join(run, hub, w)
    run(hub.publish(event(1)))
    assert seqs(drain(w)) == [("state", 0), ("step_changed", 1)]


def test_a_resume_inside_the_window_gets_exactly_the_missed_events(run):
    log = FakeLog()
    for seq in range(1, 8):
        log.record(event(seq))
    hub = ClassroomHub(log)
    w = watcher()
    join(run, hub, w, last_seq=4)
    messages = drain(w)
    assert messages[0]["resumed"] is True
    assert seqs(messages) == [("step_changed", 5), ("step_changed", 6), ("step_changed", 7)]


@pytest.mark.parametrize("last_seq", [1, 99], ids=["before the window", "after the newest"])
def test_a_resume_the_window_cannot_serve_gets_the_state(run, last_seq):
    log = FakeLog(window=3)
    for seq in range(1, 8):
        log.record(event(seq))
    hub = ClassroomHub(log)
    w = watcher()
    join(run, hub, w, last_seq=last_seq)
    messages = drain(w)
    assert messages[0]["resumed"] is False and seqs(messages) == [("state", 7)]


def test_an_event_that_overtook_another_waits_for_it(run):
    hub = ClassroomHub(FakeLog(), gap_grace=5)
    w = watcher()
    join(run, hub, w)
    drain(w)
    run(hub.publish(event(1)))
    run(hub.publish(event(3)))
    assert seqs(drain(w)) == [("step_changed", 1)]
    run(hub.publish(event(2)))
    run(hub.publish(event(3)))  # a redelivery
    assert seqs(drain(w)) == [("step_changed", 2), ("step_changed", 3)]


def test_a_gap_still_open_after_the_grace_is_closed_by_the_newest_state(run):
    hub = ClassroomHub(FakeLog(), gap_grace=0.05)
    w = watcher()
    join(run, hub, w)
    drain(w)
    run(hub.publish(event(1)))
    run(hub.publish(event(3)))
    run(hub.publish(event(4)))
    run(asyncio.sleep(0.2))
    assert seqs(drain(w)) == [("step_changed", 1), ("state", 4)]
    run(hub.publish(event(2)))  # too late: the state covered it
    run(hub.publish(event(5)))
    assert seqs(drain(w)) == [("step_changed", 5)]


def test_learners_get_instructor_events_only_about_themselves(run):
    hub = ClassroomHub(FakeLog())
    me, other, teacher = watcher(participant="p1"), watcher(participant="p2"), watcher(INSTRUCTOR, None)
    for w in (me, other, teacher):
        join(run, hub, w)
        drain(w)
    run(hub.publish(event(1, "student_completion", participant_id="p1")))
    run(hub.publish(event(2, "progress_updated", participant_id="p2")))
    run(hub.publish(event(3, "participant_joined", participant_id="p2")))
    run(hub.publish(event(4, "help_resolved", participant_id="p2", help_request_id="h1", by="instructor")))
    assert seqs(drain(me)) == [("student_completion", 1), ("participant_joined", 3)]
    assert seqs(drain(other)) == [("progress_updated", 2), ("participant_joined", 3), ("help_resolved", 4)]
    assert [s for _, s in seqs(drain(teacher))] == [1, 2, 3, 4]


def test_a_dashboard_follows_every_session_of_its_lecture_from_its_state(run):
    log = FakeLog()
    second = str(uuid.uuid4())
    log.record(event(1))
    log.record(event(2))
    hub = ClassroomHub(log)
    dashboard = watcher(DASHBOARD, None, None)
    hub.register(dashboard)
    run(hub.join_lecture(dashboard, {}, greet))
    run(hub.publish(event(3)))
    run(hub.publish(event(1, session=second)))
    messages = drain(dashboard)
    assert [(m["type"], m.get("session_id"), m.get("seq")) for m in messages] == [
        ("join_confirmed", None, None),
        ("state", SESSION, 2),
        ("step_changed", SESSION, 3),
        ("step_changed", second, 1),
    ]


def test_a_closed_socket_is_forgotten(run):
    hub = ClassroomHub(FakeLog())
    w = watcher()
    join(run, hub, w)
    hub.detach(w)
    assert hub.connections == 0 and hub.following(SESSION) == 0
    run(hub.publish(event(1)))
    assert hub.following(SESSION) == 0


def test_a_join_waiting_for_the_lock_while_the_last_socket_leaves_still_follows_the_session(run):
    """The feed's last socket goes while a wake-up holds its lock and a join waits for it: the join must land
    on the feed later events reach, not on one forgotten meanwhile (the dropped-mid-burst resume lost them)."""
    log = FakeLog()
    hub = ClassroomHub(log)
    old, new = watcher(), watcher()
    join(run, hub, old)

    async def race() -> None:
        feed = hub._feeds[SESSION]
        await feed.lock.acquire()  # a wake-up holds the lock
        hub.register(new)
        joining = asyncio.ensure_future(hub.join_session(new, None, FALLBACK, greet))
        await asyncio.sleep(0)  # the join now waits for the lock
        hub.detach(old)  # the dropped socket is noticed
        feed.lock.release()
        hub._forget_if_idle(feed)  # as the wake-up does on its way out
        await joining

    run(race())
    drain(new)
    run(hub.publish(event(1)))
    assert hub.following(SESSION) == 1
    assert seqs(drain(new)) == [("step_changed", 1)]


def test_a_slow_socket_is_closed_instead_of_growing(run):
    hub = ClassroomHub(FakeLog())
    w = Watcher(Seat(LEARNER, LECTURE, SESSION, "HK7M3R", "p1"), max_pending=3)
    join(run, hub, w)
    for seq in range(1, 6):
        run(hub.publish(event(seq)))
    assert w.closed_reason and "behind" in w.closed_reason and w.close_code == 1013


def test_revocation_closes_only_that_sign_in_sessions_sockets(run):
    hub = ClassroomHub(FakeLog())
    mine = Watcher(Seat(LEARNER, LECTURE, SESSION, "C", "p1", "u1", "sid-1"), 10)
    other_device = Watcher(Seat(LEARNER, LECTURE, SESSION, "C", "p1", "u1", "sid-2"), 10)
    for w in (mine, other_device):
        hub.register(w)
    assert hub.sessions() == {"u1": {"sid-1", "sid-2"}}
    assert hub.close_user("u1", "signed out", 4003, "sid-1") == 1
    assert mine.close_code == 4003 and other_device.closed_reason is None


def test_a_socket_written_at_once_keeps_its_order(run):
    written: list[str] = []
    taking = [True]
    w = watcher()
    w.write_now = lambda text: taking[0] and not written.append(text)
    w.say("a")  # nothing ahead: written at once
    taking[0] = False
    w.say("b")  # the socket does not take it now: queued
    taking[0] = True
    w.say("c")  # something is queued ahead of it: queued too
    assert written == ["a"]
    assert run(w.next_batch(0.01)) == ["b", "c"]
    w.say("d")  # the writer holds b and c: d waits behind them
    assert written == ["a"]
    w.written()
    assert run(w.next_batch(0.01)) == ["d"]
    w.written()
    w.say("e")
    assert written == ["a", "e"]
