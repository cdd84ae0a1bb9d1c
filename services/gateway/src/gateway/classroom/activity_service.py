"""Accepting a learner's activity: check what the events name, give each an id, and queue the batch as one message.

Nothing is stored here: the batch leaves through the outbox as one ActivityLogged (one statement, its own
transaction) into the classroom.activity stream, and the activity consumer stores its events in batches.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from gateway.classroom import activity_rules as rules
from gateway.classroom.activity_store import QUEUE_BATCH_SQL, ActivityStore
from gateway.classroom.participants_auth import SessionLearner
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import InvalidInput
from shared.messages.classroom import ActivityLogged


@dataclass(frozen=True)
class Reporter:
    """Who sent the events: a participant of a session (signed in or by token), or a signed-in user in none."""

    user_id: uuid.UUID | None
    participant_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    lecture_id: uuid.UUID | None = None
    device_id: str | None = None

    @classmethod
    def of(cls, learner: SessionLearner | None, user_id: uuid.UUID | None) -> "Reporter":
        if learner is None:
            return cls(user_id)
        return cls(learner.user_id, learner.id, learner.session_id, learner.lecture_id, learner.device_id)

    def who(self) -> dict[str, str | None]:
        ids = ("session_id", "participant_id", "user_id", "lecture_id")
        return {name: _text(getattr(self, name)) for name in ids} | {"device_id": self.device_id}


@dataclass(frozen=True)
class QueuedBatch:
    batch_id: uuid.UUID
    event_ids: list[uuid.UUID]


def session_named(events: list[dict]) -> uuid.UUID | None:
    """The one session a batch's events name (None: none does); a batch is one session's."""
    named = {event["session_id"] for event in events} - {None}
    if len(named) > 1:
        raise InvalidInput("A batch is one session's: send each session's events in a batch of their own.", "logs")
    return next(iter(named), None)


def accept(uow: UnitOfWork, reporter: Reporter, events: list[dict], pointer: str = "logs") -> QueuedBatch:
    """Give each event its id and queue the batch; InvalidInput (nothing queued) if an event names what it may not.

    The steps and recordings named are checked by the statement that queues the batch (one round trip); only a
    refused batch is looked at again, to say which event is wrong.
    """
    steps = {event["subtask_id"] for event in events} - {None}
    recordings = {event["recording_id"] for event in events} - {None}
    if steps and reporter.lecture_id is None:
        index = next(i for i, event in enumerate(events) if event["subtask_id"])
        raise InvalidInput("A step belongs to a session: name the session too.", _at(pointer, index, "subtask"))
    now = datetime.now(UTC)
    for event in events:
        event["event_id"] = event["event_id"] or rules.new_event_id()
    _no_repeated_ids(events, pointer)
    who = reporter.who()
    batch = ActivityLogged(
        batch_id=str(uuid.uuid4()),
        received_at=now.isoformat(),
        events=[rules.published(event, who, now) for event in events],
    )
    named = {"lecture_id": reporter.lecture_id, "steps": list(steps), "owner_id": reporter.user_id}
    if uow.fetch_one(QUEUE_BATCH_SQL, _outbox_row(batch) | named | {"recordings": list(recordings)}) is None:
        _check_references(uow, reporter, events, pointer)
        raise InvalidInput("A step or recording the batch names is not there any more.", pointer)
    return QueuedBatch(uuid.UUID(batch.batch_id), [event["event_id"] for event in events])


def _check_references(uow: UnitOfWork, reporter: Reporter, events: list[dict], pointer: str) -> None:
    """Say which event names a step not of the session's lecture, or a recording not the caller's."""
    steps = {event["subtask_id"] for event in events} - {None}
    recordings = {event["recording_id"] for event in events} - {None}
    with uow:
        store = uow.store(ActivityStore)
        known_steps = store.steps_of_lecture(reporter.lecture_id, steps) if steps else set()
        mine = store.recordings_of(reporter.user_id, recordings) if recordings and reporter.user_id else set()
    for index, event in enumerate(events):
        if event["subtask_id"] and event["subtask_id"] not in known_steps:
            detail = f"{event['subtask_id']} is not a step of this session's lecture."
            raise InvalidInput(detail, _at(pointer, index, "subtask"))
        if event["recording_id"] and event["recording_id"] not in mine:
            detail = f"{event['recording_id']} is not one of your recordings."
            raise InvalidInput(detail, _at(pointer, index, "recording_session"))


def _no_repeated_ids(events: list[dict], pointer: str) -> None:
    seen: set[uuid.UUID] = set()
    for index, event in enumerate(events):
        if event["event_id"] in seen:
            raise InvalidInput("This event_id is already in the batch.", _at(pointer, index, "event_id"))
        seen.add(event["event_id"])


def _outbox_row(batch: ActivityLogged) -> dict[str, Any]:
    return {
        "message_id": uuid.uuid4(),
        "exchange": batch.EXCHANGE,
        "routing_key": batch.routing_key(),
        "message_type": batch.TYPE,
        "payload": orjson.dumps(batch.to_dict()).decode(),  # a batch's JSON is most of the request's work
    }


def _at(pointer: str, index: int, field: str) -> str:
    return f"{pointer}/{index}/{field}" if pointer else field


def _text(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)
