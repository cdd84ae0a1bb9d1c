"""Recordings in memory: the methods of RecordingStore the recording use cases and reports call."""

import uuid

from gateway.classroom.recordings_store import RecordingStore


class FakeRecordingStore:
    port = RecordingStore

    def __init__(self):
        self.recordings: dict[uuid.UUID, object] = {}
        self.events: dict[uuid.UUID, list[dict]] = {}
        self.lectures: dict[uuid.UUID, set[uuid.UUID]] = {}  # lecture -> who teaches or is enrolled
        self.messages: list = []
        self.told: list[tuple] = []

    def lecture_open_to(self, lecture_id, user_id) -> bool:
        return user_id in self.lectures.get(lecture_id, set())

    def add(self, recording) -> None:
        self.recordings[recording.id] = recording
        self.events[recording.id] = []

    def get(self, owner_id, recording_id, lock: bool = False):
        recording = self.recordings.get(recording_id)
        return recording if recording is not None and recording.owner_id == owner_id else None

    def locked(self, recording_id):
        return self.recordings.get(recording_id)

    def add_events(self, recording_id, first_seq: int, events: list[dict]) -> None:
        self.events[recording_id] += [{**e, "seq": first_seq + i} for i, e in enumerate(events)]

    def all_events(self, recording_id) -> list[dict]:
        return list(self.events[recording_id])

    def add_message(self, message) -> None:
        self.messages.append(message)

    def tell(self, user_id, event_type, facts, subject_id) -> None:
        self.told.append((user_id, event_type, facts, subject_id))
