"""Use cases of a session's learners: join (signed in, or by code with a participant token), report a step done.

Every writer here takes the session's row lock first (as the controls do), then touches participants: the same
order everywhere, so a join or a completion never deadlocks with a control.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from gateway.classroom import sessions_rules as rules
from gateway.classroom.models import ClassSession, Participant
from gateway.classroom.participants_auth import SessionLearner, issue_participant_token
from gateway.classroom.participants_store import ParticipantStore
from gateway.classroom.session_events import record_session_event
from gateway.classroom.sessions_service import parse_id
from gateway.classroom.sessions_store import SessionStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Conflict, InvalidInput, NotFound


@dataclass(frozen=True)
class Joined:
    participant: Participant
    session: dict[str, Any]
    made: bool
    steps: list[dict[str, Any]]


def join_signed_in(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str, display_name: str | None) -> Joined:
    """The user in the session (one participant however often they join); 409 once it has ended."""
    session_id = parse_id(raw_id)
    with uow:
        store = uow.store(SessionStore)
        session = store.locked(session_id)
        if session is None:
            raise NotFound(f"no session with id {session_id}")
        name = display_name or uow.store(ParticipantStore).username(user_id)
        return _join(uow, store, session, {"user_id": user_id}, name, rename=display_name is not None)


def join_by_code(uow: UnitOfWork, tokens, ttl: int, raw_code: str, device_id: str, display_name: str):
    """The device in the session its code names, and a participant token for that session only."""
    code = rules.normalise_code(raw_code)
    if code is None:
        raise InvalidInput(
            f"A session code is {rules.CODE_LENGTH} characters of {rules.CODE_ALPHABET} (got '{raw_code[:20]}').",
            "code",
        )
    with uow:
        store = uow.store(SessionStore)
        found = store.by_code(code)
        session = found and store.locked(found.id)
        if session is None:
            raise NotFound(f"no session with code '{code}'")
        joined = _join(uow, store, session, {"device_id": device_id}, display_name)
    return joined, issue_participant_token(tokens, joined.participant.id, session.id, ttl)


def _join(
    uow: UnitOfWork, store: SessionStore, session: ClassSession, who: dict, name: str, rename: bool = True
) -> Joined:
    if session.status not in rules.JOINABLE:
        raise Conflict(f"The session is {session.status}: it can no longer be joined.")
    now = datetime.now(UTC)
    started = session.status != "WAITING"
    values = who | {
        "id": uuid.uuid4(),
        "session_id": session.id,
        "display_name": name,
        "status": "ACTIVE" if started else "WAITING",
        "own_step_id": session.current_step_id,
        "own_step_seq": session.step_seq,
        "joined_at": now,
        "last_active_at": now,
    }
    participants = uow.store(ParticipantStore)
    participant, made = participants.join(values, next(iter(who)), rename)
    woken = not made and started and participant.status in ("WAITING", "DISCONNECTED")
    if woken:
        participants.wake(participant, session)
    if made or woken:
        facts = {"participant_id": participant.id, "display_name": participant.display_name, "rejoined": not made}
        record_session_event(uow, session.id, "participant_joined", facts)
    uow.commit()
    return Joined(participant, store.views([session])[0], made, store.steps(session.lecture_id))


def report_completion(uow: UnitOfWork, learner: SessionLearner, step_id: uuid.UUID) -> dict[str, Any]:
    """Mark a step of the session's lecture done for the learner: once (a repeat changes nothing and says so)."""
    now = datetime.now(UTC)
    with uow:
        session = uow.store(SessionStore).locked(learner.session_id)
        if session.status not in rules.LEARNING:
            state = "has not started yet" if session.status == "WAITING" else "has ended"
            raise Conflict(f"The session {state}: completions are taken while it runs or in review.")
        steps = uow.store(SessionStore).steps(session.lecture_id)
        step_ids = [step["id"] for step in steps]
        if str(step_id) not in step_ids:
            raise InvalidInput(f"{step_id} is not a step of this session's lecture.", "subtask_id")
        participants = uow.store(ParticipantStore)
        participant = participants.locked(learner.id)
        newly = participants.complete(participant.id, session.id, step_id, now)
        done = [str(s) for s in participants.completed(session.id).get(participant.id, [])]
        following = rules.step_after(step_ids, str(step_id))
        finished = rules.completed_all(set(done), step_ids)
        if newly:
            participant.last_active_at = now
            if participant.current_step_id == step_id and following:
                participants.place(participant, uuid.UUID(following), session)
            if finished and participant.status != "COMPLETED":
                # put on the step they are on now: a finished learner no longer follows the session's moves
                participants.place(participant, participant.current_step_id, session)
                participant.status, participant.completed_at = "COMPLETED", now
            facts = {
                "participant_id": participant.id,
                "display_name": participant.display_name,
                "subtask_id": step_id,
                "completed_subtasks": done,
                "total_completed": len(done),
                "total_steps": len(step_ids),
                "completed_all": finished,
            }
            record_session_event(uow, session.id, "student_completion", facts)
        uow.commit()
    return {
        "subtask_id": step_id,
        "newly_completed": newly,
        "completed_subtasks": done,
        "total_completed": len(done),
        "total_steps": len(step_ids),
        "completed_all": finished,
        "my_status": participant.status,
        "next_subtask": next((step for step in steps if step["id"] == following), None),
    }


def current(uow: UnitOfWork, learner: SessionLearner) -> dict[str, Any]:
    """Where the session is and where the learner is in it: the steps with their guide text, what they finished."""
    with uow:
        sessions = uow.store(SessionStore)
        view = sessions.views([sessions.get(learner.session_id)])[0]
        steps = sessions.steps(learner.lecture_id)
        participants = uow.store(ParticipantStore)
        participant = participants.get(learner.id)
        done = [str(s) for s in participants.completed(learner.session_id).get(learner.id, [])]
    mine = str(participant.current_step_id) if participant.current_step_id else None
    return view | {
        "participant_id": learner.id,
        "my_status": participant.status,
        "my_step": next((step for step in steps if step["id"] == mine), None),
        "completed_subtasks": done,
    }
