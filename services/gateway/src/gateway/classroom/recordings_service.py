"""Use cases of recordings: start one, save its events in batches while it records, stop it, read it and its
events, and ask for its analysis (the steps taken and where the user hesitated).

A change locks the recording's row and checks the status machine (recordings_rules): an illegal move is a 409
that changes nothing, another user's recording a 404. Asking for the analysis records it (PROCESSING, analysis
queued) with its AnalyzeRecording, which carries every event, in one transaction.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from gateway.classroom import recordings_rules as rules
from gateway.classroom.models import Recording
from gateway.classroom.recordings_store import RecordingStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Conflict, NotFound
from shared.messages.classroom import AnalyzeRecording

VIEW_FIELDS = ("id", "title", "description", "lecture_id", "status", "analysis_status", "event_count", "started_at",
               "stopped_at", "analyzed_at", "created_at", "updated_at")  # fmt: skip


def parse_id(raw: str | uuid.UUID) -> uuid.UUID:
    try:
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except ValueError:
        raise NotFound(f"'{str(raw)[:64]}' is not a recording id (recording ids are UUIDs)") from None


def start_recording(uow: UnitOfWork, owner_id: uuid.UUID, body: dict[str, Any]) -> dict[str, Any]:
    """A new recording of the owner's, RECORDING from now; about a lecture they teach or are enrolled in, if any."""
    now = datetime.now(UTC)
    with uow:
        store = uow.store(RecordingStore)
        lecture_id = body.get("lecture_id")
        if lecture_id is not None and not store.lecture_open_to(lecture_id, owner_id):
            raise NotFound(f"no lecture with id {lecture_id} among those you teach or are enrolled in")
        recording = Recording(
            id=uuid.uuid4(), owner_id=owner_id, lecture_id=lecture_id, title=body["title"].strip(),
            description=(body.get("description") or "").strip(), status="RECORDING", event_count=0, attempts=0,
            started_at=now, created_at=now, updated_at=now,
        )  # fmt: skip
        store.add(recording)
        uow.commit()
        return recording_view(recording)


def get_recording(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str) -> dict[str, Any]:
    recording_id = parse_id(raw_id)
    with uow:
        return recording_view(_own(uow.store(RecordingStore), owner_id, recording_id))


def list_recordings(
    uow: UnitOfWork, owner_id: uuid.UUID, page: int, size: int, status: str | None = None
) -> tuple[list[dict[str, Any]], int]:
    with uow:
        items, total = uow.store(RecordingStore).page(owner_id, page, size, status)
        return [recording_view(recording) for recording in items], total


def save_events(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    """Append a batch of events in the order given, each with its own time, while the recording records."""
    recording_id = parse_id(raw_id)
    now = datetime.now(UTC)
    with uow:
        store = uow.store(RecordingStore)
        recording = _own(store, owner_id, recording_id, lock=True)
        conflict = rules.move_conflict("save events", recording.status) or rules.room_conflict(
            recording.event_count, len(events)
        )
        if conflict:
            raise Conflict(conflict)
        first_seq = recording.event_count + 1
        store.add_events(recording.id, first_seq, events)
        recording.event_count += len(events)
        recording.updated_at = now
        uow.commit()
        return {"saved_count": len(events), "first_seq": first_seq, "recording": recording_view(recording)}


def stop_recording(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str) -> dict[str, Any]:
    recording_id = parse_id(raw_id)
    now = datetime.now(UTC)
    with uow:
        recording = _own(uow.store(RecordingStore), owner_id, recording_id, lock=True)
        conflict = rules.move_conflict("stop", recording.status)
        if conflict:
            raise Conflict(conflict)
        recording.status = rules.status_after("stop", recording.status)
        recording.stopped_at = recording.updated_at = now
        uow.commit()
        return recording_view(recording)


def recording_events(
    uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str, page: int, size: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of the recording's events in the order recorded, and how many it holds."""
    recording_id = parse_id(raw_id)
    with uow:
        store = uow.store(RecordingStore)
        recording = _own(store, owner_id, recording_id)
        return store.events(recording.id, page, size), recording.event_count


def analyze_recording(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str) -> dict[str, Any]:
    """Ask for the analysis of a stopped (or failed) recording with events: PROCESSING, the analysis queued."""
    recording_id = parse_id(raw_id)
    now = datetime.now(UTC)
    with uow:
        store = uow.store(RecordingStore)
        recording = _own(store, owner_id, recording_id, lock=True)
        conflict = rules.move_conflict("analyze", recording.status) or rules.analysis_conflict(recording.event_count)
        if conflict:
            raise Conflict(conflict)
        recording.status = rules.status_after("analyze", recording.status)
        recording.analysis_status, recording.analysis, recording.analyzed_at = "queued", None, None
        recording.error = recording.error_code = recording.last_event_at = None
        recording.attempts, recording.updated_at = 0, now
        events = [_plain(event) for event in store.all_events(recording.id)]
        store.add_message(AnalyzeRecording(recording_id=str(recording.id), events=events, requested_at=now.isoformat()))
        uow.commit()
        return recording_view(recording)


def recording_view(recording: Recording) -> dict[str, Any]:
    """A recording as the API shows it: its analysis once ANALYZED, why it failed once FAILED."""
    stopped, failed = recording.stopped_at, recording.analysis_status == "failed"
    return {
        **{name: getattr(recording, name) for name in VIEW_FIELDS},
        "duration_seconds": None if stopped is None else int((stopped - recording.started_at).total_seconds()),
        "analysis": recording.analysis if recording.status == "ANALYZED" else None,
        "error": {"reason": recording.error, "code": recording.error_code} if failed else None,
    }


def _own(store: RecordingStore, owner_id: uuid.UUID, recording_id: uuid.UUID, lock: bool = False) -> Recording:
    recording = store.get(owner_id, recording_id, lock)
    if recording is None:
        raise NotFound(f"no recording with id {recording_id} among yours")
    return recording


def _plain(event: dict[str, Any]) -> dict[str, Any]:
    """An event as the AnalyzeRecording carries it: its time as ISO 8601, without empty fields or its number."""
    plain = {name: value for name, value in event.items() if value is not None and name != "seq"}
    plain["occurred_at"] = event["occurred_at"].isoformat()
    return plain
