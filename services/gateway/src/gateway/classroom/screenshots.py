"""Learners' screenshots: a PNG or JPEG recognised by decoding it, its clean copy in the object store (as the
studio stores images), the instructor told at once and shown each learner's latest by signed URL."""

import uuid
from datetime import UTC, datetime
from typing import Any

from gateway.classroom import sessions_rules as rules
from gateway.classroom.models import Screenshot
from gateway.classroom.participants_auth import SessionLearner
from gateway.classroom.participants_store import ParticipantStore
from gateway.classroom.screenshots_store import ScreenshotStore
from gateway.classroom.session_events import record_session_event
from gateway.classroom.sessions_service import owned
from gateway.classroom.sessions_store import SessionStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Conflict, InvalidInput, Unavailable
from gateway.studio.images import BadImage, ImageInfo, clean_image
from gateway.studio.uploads import Upload
from shared.storage import ObjectStore, StorageError

__all__ = ["Upload", "latest_screenshots", "upload_screenshot"]
FIELD = "image"
FORMATS = ("PNG", "JPEG")
MIN_SIDE, MAX_SIDE = 64, 4096
URL_SECONDS = 600


def upload_screenshot(
    uow: UnitOfWork, store: ObjectStore, learner: SessionLearner, upload: Upload | None, max_bytes: int
) -> dict[str, Any]:
    """Store the learner's screen as it is now and tell the session's instructor; 409 once the session ended."""
    if learner.session_status not in rules.JOINABLE:
        raise Conflict(f"The session is {learner.session_status}: screenshots are no longer taken.")
    info, clean = _checked(upload, max_bytes)
    key = f"sessions/{learner.session_id}/screenshots/{uuid.uuid4().hex}.{info.extension}"
    try:
        store.put(key, clean, info.content_type)
    except StorageError as exc:
        raise Unavailable(f"The screenshot store is unavailable ({exc}); nothing was stored. Try again.") from exc
    now = datetime.now(UTC)
    with uow:
        session = uow.store(SessionStore).locked(learner.session_id)
        if session.status not in rules.JOINABLE:  # ended while the file was stored: it stays unreferenced
            raise Conflict(f"The session is {session.status}: screenshots are no longer taken.")
        participant = uow.store(ParticipantStore).get(learner.id)
        shot = Screenshot(
            id=uuid.uuid4(),
            session_id=session.id,
            participant_id=learner.id,
            step_id=participant.current_step_id,
            key=key,
            content_type=info.content_type,
            created_at=now,
        )
        uow.store(ScreenshotStore).add(shot)
        facts = {"participant_id": learner.id, "display_name": participant.display_name, "screenshot_id": shot.id}
        record_session_event(
            uow, session.id, "screenshot_updated", facts | {"step_id": shot.step_id, "captured_at": now}
        )
        uow.commit()
    return _view(store, shot, participant)


def latest_screenshots(uow: UnitOfWork, store: ObjectStore, instructor_id: uuid.UUID, raw_id: str) -> dict:
    """Each participant's latest screenshot, by a signed URL good for a few minutes."""
    session = owned(uow, instructor_id, raw_id)
    with uow:
        rows = uow.store(ScreenshotStore).latest(session.id)
    return {"session_id": session.id, "items": [_view(store, shot, p) for shot, p in rows]}


def _checked(upload: Upload | None, max_bytes: int) -> tuple[ImageInfo, bytes]:
    if upload is None:
        raise InvalidInput(f"Send the screenshot as the multipart/form-data file field '{FIELD}'.", FIELD)
    data = upload.stream.read(max_bytes + 1)
    name = upload.filename[:100]
    if len(data) > max_bytes:
        raise InvalidInput(f"'{name}' is larger than {max_bytes:,} bytes.", FIELD)
    try:
        info, clean = clean_image(data, MIN_SIDE, MAX_SIDE)
    except BadImage as problem:
        raise InvalidInput(f"'{name}' {str(problem).replace('PNG, JPEG or WebP', 'PNG or JPEG')}.", FIELD) from None
    if info.format not in FORMATS:
        raise InvalidInput(f"'{name}' is a {info.format} image: send a PNG or JPEG.", FIELD)
    return info, clean


def _view(store: ObjectStore, shot: Screenshot, participant) -> dict[str, Any]:
    return {
        "id": shot.id,
        "participant_id": shot.participant_id,
        "display_name": participant.display_name,
        "step_id": shot.step_id,
        "content_type": shot.content_type,
        "image_url": store.url(shot.key, expires=URL_SECONDS),
        "captured_at": shot.created_at,
    }
