"""Every change to a live session leaves as one numbered SessionEvent, through the outbox, in the change's transaction.

`record_session_event` is the one way to publish one (sessions, participants, help requests and activity all call
it): it bumps `class_sessions.event_seq` (which row-locks the session until the transaction ends, so two changes
at once are numbered one after the other, with no gap and no repeat: a rolled-back change takes its number with
it) and writes the event with the session's state after the change. A client that (re)connects gets the state at
seq N, then every event after N (shared/messages/classroom.py).

`state`: status, title, current_step (id, task, title, position of total_steps, target_action, guide_text, ...),
total_steps, participants (count) and participants_by_status, started_at, ended_at.

`data` by type, for the notifier; the ones marked (instructors) are for the session's instructor and its lecture's
dashboard only: participant_joined {participant_id, display_name, rejoined}; step_changed {step, previous_step_id};
session_status_changed {status, previous_status, action, message}; progress_updated (instructors) {participant_id,
display_name, subtask_id, status}; student_completion (instructors) {participant_id, display_name, subtask_id,
completed_subtasks, total_completed, total_steps, completed_all}; instructor_message {message, from}; screenshot_updated
(instructors) {participant_id, display_name, screenshot_id, step_id, captured_at}.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

import orjson

from gateway.classroom.session_events_store import SessionEventStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import NotFound
from shared.messages.classroom import SESSION_EVENT_TYPES, SessionEvent


def record_session_event(
    uow: UnitOfWork, session_id: uuid.UUID, event_type: str, data: dict[str, Any] | None = None
) -> SessionEvent:
    """Number the session's next event and put it, with the session's state after the change, in the outbox.

    Call it inside the caller's `with uow:` after making the change and before `uow.commit()`.
    """
    if event_type not in SESSION_EVENT_TYPES:
        raise ValueError(f"{event_type!r} is not a session event type ({', '.join(SESSION_EVENT_TYPES)})")
    store = uow.store(SessionEventStore)
    numbered = store.next_seq(session_id)
    if numbered is None:
        raise NotFound(f"no session with id {session_id}")
    event = SessionEvent(
        id=str(uuid.uuid4()),
        type=event_type,
        session_id=str(session_id),
        code=numbered.code,
        lecture_id=str(numbered.lecture_id),
        seq=numbered.seq,
        occurred_at=datetime.now(UTC).isoformat(),
        data=orjson.loads(orjson.dumps(data or {})),  # ids and times as JSON strings
        state=store.state(session_id),
    )
    store.add_message(event)
    return event
