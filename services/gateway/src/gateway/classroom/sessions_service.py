"""Use cases of live sessions: open one for a lecture, read it, and the instructor's controls over it.

A control locks the session row, checks the status machine (sessions_rules), changes the session (and so the step
of everyone following it: next-step writes the session's row, no participant's, whatever the class's size),
records itself in session_controls and publishes what changed as numbered session events, in one transaction: an
illegal control is a 409 that changes nothing, another instructor's session a 404.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from gateway.accounts import service as accounts
from gateway.classroom import sessions_rules as rules
from gateway.classroom.models import ClassSession
from gateway.classroom.session_events import record_session_event
from gateway.classroom.sessions_store import CodeTaken, SessionStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Conflict, InvalidInput, NotFound, Unavailable


def parse_id(raw: str | uuid.UUID, what: str = "session") -> uuid.UUID:
    try:
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except ValueError:
        raise NotFound(f"'{str(raw)[:64]}' is not a {what} id ({what} ids are UUIDs)") from None


def create_session(
    uow: UnitOfWork, instructor_id: uuid.UUID, raw_lecture_id: str, title: str | None, scheduled_at: datetime | None
) -> dict[str, Any]:
    """A session of the instructor's lecture, WAITING, under a code no other session has."""
    lecture_id = parse_id(raw_lecture_id, "lecture")
    now = datetime.now(UTC)
    with uow:
        store = uow.store(SessionStore)
        lecture = store.lecture(lecture_id)
        if lecture is None or lecture.instructor_id != instructor_id:
            raise NotFound(f"no lecture with id {lecture_id} among yours")
        session = ClassSession(
            id=uuid.uuid4(),
            lecture_id=lecture_id,
            instructor_id=instructor_id,
            title=(title or "").strip() or lecture.title,
            status="WAITING",
            event_seq=0,
            scheduled_at=scheduled_at,
            created_at=now,
            updated_at=now,
        )
        try:
            store.add(session, rules.codes())
        except CodeTaken:
            raise Unavailable("No free session code was found; try again.", retry_after=1) from None
        uow.commit()
        return store.views([session])[0]


def session_by_code(uow: UnitOfWork, raw_code: str) -> dict[str, Any]:
    code = rules.normalise_code(raw_code)
    with uow:
        store = uow.store(SessionStore)
        session = store.by_code(code) if code else None
        if session is None:
            raise NotFound(f"no session with code '{raw_code[:20]}'")
        return store.views([session])[0]


def session_view(uow: UnitOfWork, session_id: uuid.UUID) -> dict[str, Any]:
    with uow:
        store = uow.store(SessionStore)
        return store.views([store.get(session_id)])[0]


def control(
    uow: UnitOfWork,
    instructor_id: uuid.UUID,
    raw_id: str,
    action: str,
    message: str | None = None,
    step_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    """Take a control (start, next-step, pause, resume, end, review) on the instructor's session."""
    now = datetime.now(UTC)
    with uow:
        store = uow.store(SessionStore)
        session = _own_locked(store, instructor_id, raw_id)
        conflict = rules.move_conflict(action, session.status)
        if conflict:
            raise Conflict(conflict)
        previous_status, previous_step = session.status, session.current_step_id
        steps = store.steps(session.lecture_id)
        step_ids = [step["id"] for step in steps]
        if action == "start":
            session.started_at = now
            session.current_step_id = _uuid(rules.step_after(step_ids, None))
        elif action == "next-step":
            session.current_step_id = _next_step(step_ids, session.current_step_id, step_id)
        elif action == "end":
            session.ended_at = now
        session.status = rules.status_after(action, session.status)
        session.updated_at = now
        if action in ("start", "next-step"):
            store.move_participants(session, activate=action == "start")
        store.add_control(session, action, now, message)
        if session.status != previous_status:
            facts = {"status": session.status, "previous_status": previous_status, "action": action}
            record_session_event(uow, session.id, "session_status_changed", facts | {"message": message})
        if session.current_step_id != previous_step and session.current_step_id is not None:
            view = next((step for step in steps if step["id"] == str(session.current_step_id)), None)
            record_session_event(uow, session.id, "step_changed", {"step": view, "previous_step_id": previous_step})
        uow.commit()
        return store.views([session], {session.lecture_id: steps})[0]


def broadcast(uow: UnitOfWork, instructor_id: uuid.UUID, sender: str, raw_id: str, message: str) -> dict[str, Any]:
    """A message from the instructor to everyone in the session, recorded and published."""
    now = datetime.now(UTC)
    with uow:
        store = uow.store(SessionStore)
        session = _own_locked(store, instructor_id, raw_id)
        conflict = rules.move_conflict("broadcast", session.status)
        if conflict:
            raise Conflict(conflict)
        control = store.add_control(session, "broadcast", now, message)
        event = record_session_event(uow, session.id, "instructor_message", {"message": message, "from": sender})
        uow.commit()
        return {
            "session_id": session.id,
            "message": message,
            "sender": sender,
            "control_id": control.id,
            "seq": event.seq,
            "broadcast_to": event.state["participants"],
            "sent_at": now,
        }


def sender_name(uow: UnitOfWork, user_id: uuid.UUID) -> str:
    """How a broadcast names its instructor."""
    return accounts.get_user(uow, user_id).username


def instructor_active(uow: UnitOfWork, instructor_id: uuid.UUID) -> list[dict[str, Any]]:
    """The instructor's sessions that have not ended, newest first."""
    with uow:
        store = uow.store(SessionStore)
        return store.views(store.instructor_active(instructor_id))


def my_active(uow: UnitOfWork, user_id: uuid.UUID) -> list[dict[str, Any]]:
    """The not-ended sessions the user joined, newest join first, each with the user's own status in it."""
    with uow:
        store = uow.store(SessionStore)
        joined = store.joined_active(user_id)
        views = store.views([session for session, _ in joined])
        return [
            view | {"my_status": p.status, "participant_id": p.id, "joined_at": p.joined_at}
            for view, (_, p) in zip(views, joined, strict=True)
        ]


def owned(uow: UnitOfWork, instructor_id: uuid.UUID, raw_id: str) -> ClassSession:
    """The instructor's session (read, not locked); 404 for anyone else's."""
    session_id = parse_id(raw_id)
    with uow:
        session = uow.store(SessionStore).get(session_id)
    if session is None or session.instructor_id != instructor_id:
        raise NotFound(f"no session with id {session_id} among yours")
    return session


def _own_locked(store: SessionStore, instructor_id: uuid.UUID, raw_id: str) -> ClassSession:
    session_id = parse_id(raw_id)
    session = store.locked(session_id)
    if session is None or session.instructor_id != instructor_id:
        raise NotFound(f"no session with id {session_id} among yours")
    return session


def _next_step(step_ids: list[str], current: uuid.UUID | None, wanted: uuid.UUID | None) -> uuid.UUID:
    if wanted is not None:
        if str(wanted) not in step_ids:
            raise InvalidInput(f"{wanted} is not a step of this session's lecture.", "subtask_id")
        return wanted
    following = rules.step_after(step_ids, current and str(current))
    if following is None:
        raise Conflict("The lecture has no steps." if not step_ids else "The session is on its last step already.")
    return uuid.UUID(following)


def _uuid(raw: str | None) -> uuid.UUID | None:
    return None if raw is None else uuid.UUID(raw)
