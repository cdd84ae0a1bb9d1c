"""Where a learner is, as the real-time channel sees it: connected or gone, and the step they are working on.

The notifier posts these with the learner's own token: `connected` when a learner's first socket joins and
false when their last one closes (only it sees sockets close), `progress` for a socket's progress_update.
Each locks the session row first and the participant second, as every writer of a session does, and
publishes what changed as a numbered session event; a repeat changes nothing and publishes nothing.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from gateway.classroom import sessions_rules as rules
from gateway.classroom.participants_auth import SessionLearner
from gateway.classroom.participants_store import ParticipantStore
from gateway.classroom.presence_store import PresenceStore
from gateway.classroom.session_events import record_session_event
from gateway.classroom.sessions_store import SessionStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Conflict, InvalidInput

HERE = ("WAITING", "ACTIVE")


def set_presence(uow: UnitOfWork, learner: SessionLearner, connected: bool) -> dict[str, Any]:
    """A learner back (DISCONNECTED -> ACTIVE, or WAITING before the start) or gone (-> DISCONNECTED)."""
    now = datetime.now(UTC)
    with uow:
        session = uow.store(SessionStore).locked(learner.session_id)
        participants = uow.store(ParticipantStore)
        participant = participants.locked(learner.id)
        facts = {"participant_id": participant.id, "display_name": participant.display_name}
        back = connected and participant.status == "DISCONNECTED"
        gone = not connected and participant.status in HERE
        changed = session.status in rules.JOINABLE and (back or gone)
        if changed and back:
            if session.status == "WAITING":
                participant.status = "WAITING"
            else:
                participants.wake(participant, session)
            record_session_event(uow, session.id, "participant_joined", facts | {"rejoined": True})
        elif changed:
            participant.status = "DISCONNECTED"
            record_session_event(uow, session.id, "participant_left", facts)
        participant.last_active_at = now
        uow.commit()
        return {"participant_id": participant.id, "my_status": participant.status, "changed": changed}


def report_progress(uow: UnitOfWork, learner: SessionLearner, step_id: uuid.UUID) -> dict[str, Any]:
    """The learner is working on `step_id` (a step of the session's lecture) while the session runs or reviews."""
    now = datetime.now(UTC)
    with uow:
        sessions = uow.store(SessionStore)
        session = sessions.locked(learner.session_id)
        if session.status not in rules.LEARNING:
            state = "has not started yet" if session.status == "WAITING" else "has ended"
            raise Conflict(f"The session {state}: progress is taken while it runs or in review.")
        if str(step_id) not in {step["id"] for step in sessions.steps(session.lecture_id)}:
            raise InvalidInput(f"{step_id} is not a step of this session's lecture.", "subtask_id")
        participants = uow.store(ParticipantStore)
        participant = participants.locked(learner.id)
        started = uow.store(PresenceStore).start_step(participant.id, session.id, step_id, now)
        moved = participant.current_step_id != step_id
        participants.place(participant, step_id, session)
        participant.last_active_at = now
        facts = {"participant_id": participant.id, "subtask_id": step_id, "status": "in_progress"}
        if started or moved:
            named = facts | {"display_name": participant.display_name}
            record_session_event(uow, session.id, "progress_updated", named)
        uow.commit()
        return facts | {"changed": started or moved}
