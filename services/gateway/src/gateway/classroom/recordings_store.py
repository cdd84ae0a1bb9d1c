"""The recordings' SQL inside a transaction: one of an owner's (locked for a change), a page of them, its events
saved in order in one statement per batch and read back a page at a time or all at once for an analysis."""

import uuid
from typing import Any

from sqlalchemy import func, insert, select

from gateway.classroom.models import Enrollment, Lecture, Recording, RecordingEvent
from gateway.notifications.events import publish_event
from gateway.platform.outbox import add_message
from shared.messages import Message

EVENT_FIELDS = ("seq", "event_type", "occurred_at", "package", "screen", "element", "text", "x", "y", "data")


class RecordingStore:
    """Plain methods over recordings and their events, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def lecture_open_to(self, lecture_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        """Whether the user teaches the live lecture or is enrolled in it."""
        enrolled = select(Enrollment.user_id).where(Enrollment.lecture_id == lecture_id, Enrollment.user_id == user_id)
        query = select(Lecture.id).where(
            Lecture.id == lecture_id,
            Lecture.deleted_at.is_(None),
            (Lecture.instructor_id == user_id) | enrolled.exists(),
        )
        return self._session.scalar(query) is not None

    def add(self, recording: Recording) -> None:
        self._session.add(recording)
        self._session.flush()

    def get(self, owner_id: uuid.UUID, recording_id: uuid.UUID, lock: bool = False) -> Recording | None:
        """The owner's recording, or None (another user's is None too)."""
        query = select(Recording).where(Recording.id == recording_id, Recording.owner_id == owner_id)
        return self._session.scalars(query.with_for_update() if lock else query).first()

    def locked(self, recording_id: uuid.UUID) -> Recording | None:
        """Any recording, row-locked (a report about its analysis)."""
        return self._session.scalars(select(Recording).where(Recording.id == recording_id).with_for_update()).first()

    def page(self, owner_id: uuid.UUID, page: int, size: int, status: str | None) -> tuple[list[Recording], int]:
        """One page of the owner's recordings, newest first, and how many there are."""
        where = [Recording.owner_id == owner_id]
        if status is not None:
            where.append(Recording.status == status)
        query = select(Recording).where(*where).order_by(Recording.created_at.desc(), Recording.id.desc())
        items = list(self._session.scalars(query.offset((page - 1) * size).limit(size)))
        return items, self._session.scalar(select(func.count()).select_from(Recording).where(*where))

    def add_events(self, recording_id: uuid.UUID, first_seq: int, events: list[dict[str, Any]]) -> None:
        """The batch's events, numbered from `first_seq` in the order given, in one statement."""
        rows = [{**event, "recording_id": recording_id, "seq": first_seq + i} for i, event in enumerate(events)]
        self._session.execute(insert(RecordingEvent), rows)

    def events(self, recording_id: uuid.UUID, page: int, size: int) -> list[dict[str, Any]]:
        """One page of the recording's events in the order recorded."""
        query = (
            select(*(getattr(RecordingEvent, name) for name in EVENT_FIELDS))
            .where(RecordingEvent.recording_id == recording_id)
            .order_by(RecordingEvent.seq)
            .offset((page - 1) * size)
            .limit(size)
        )
        return [dict(zip(EVENT_FIELDS, row, strict=True)) for row in self._session.execute(query)]

    def all_events(self, recording_id: uuid.UUID) -> list[dict[str, Any]]:
        return self.events(recording_id, 1, 2**31 - 1)

    def add_message(self, message: Message) -> None:
        add_message(self._session, message)

    def tell(self, user_id: uuid.UUID, event_type: str, facts: dict, subject_id: str) -> None:
        publish_event(self._session, user_id, event_type, facts, subject_id)
