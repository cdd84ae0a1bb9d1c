"""Use cases of lectures: an instructor writes, edits and soft-deletes their own; anyone lists and reads the ones
they may see, and enrolls in one (idempotent)."""

import uuid
from datetime import UTC, datetime
from typing import Any

from gateway.classroom import lectures_rules as rules
from gateway.classroom.lectures_store import LectureStore
from gateway.classroom.models import Lecture
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Conflict, NotFound

EDITABLE = ("title", "description", "thumbnail_url", "is_active")


def not_yours(lecture_id: uuid.UUID) -> NotFound:
    return NotFound(f"no lecture with id {lecture_id} among yours")


def create_lecture(uow: UnitOfWork, instructor_id: uuid.UUID, fields: dict[str, Any]) -> dict[str, Any]:
    """A new lecture of the instructor's, with no task yet."""
    now = datetime.now(UTC)
    lecture = Lecture(id=uuid.uuid4(), instructor_id=instructor_id, created_at=now, updated_at=now)
    for name in EDITABLE:
        setattr(lecture, name, fields[name])
    with uow:
        store = uow.store(LectureStore)
        store.add(lecture)
        uow.commit()
        return store.read(lecture.id, instructor_id)


def list_lectures(
    uow: UnitOfWork, viewer_id: uuid.UUID, instructor: bool, view: str | None, page: int, size: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of a view: `teaching` (your own, active or not), `available` (every active one), `enrolled`."""
    with uow:
        return uow.store(LectureStore).page(view or rules.default_view(instructor), viewer_id, page, size)


def get_lecture(uow: UnitOfWork, viewer_id: uuid.UUID, raw_id: str, with_tasks: bool = True) -> dict[str, Any]:
    """A lecture the viewer may see, with every task and step; anything else is a 404 that says nothing more."""
    lecture_id = rules.as_id(raw_id, "lecture")
    with uow:
        lecture = uow.store(LectureStore).read(lecture_id, viewer_id, with_tasks)
    if lecture is None or not rules.visible(
        lecture["instructor_id"], lecture["is_active"], lecture["is_enrolled"], viewer_id
    ):
        raise NotFound(f"no lecture with id {lecture_id}")
    return lecture


def update_lecture(uow: UnitOfWork, instructor_id: uuid.UUID, raw_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Change your lecture's title, description, thumbnail or whether learners may find it."""
    lecture_id = rules.as_id(raw_id, "lecture")
    with uow:
        store = uow.store(LectureStore)
        lecture = store.own(lecture_id, instructor_id)
        if lecture is None:
            raise not_yours(lecture_id)
        for name in EDITABLE:
            if name in changes:
                setattr(lecture, name, changes[name])
        lecture.updated_at = datetime.now(UTC)
        uow.commit()
        return store.read(lecture_id, instructor_id)


def delete_lecture(uow: UnitOfWork, instructor_id: uuid.UUID, raw_id: str) -> None:
    """Your lecture leaves every read and list (soft delete); not while one of its sessions has not ended."""
    lecture_id = rules.as_id(raw_id, "lecture")
    with uow:
        store = uow.store(LectureStore)
        lecture = store.own(lecture_id, instructor_id)
        if lecture is None:
            raise not_yours(lecture_id)
        rules.check_deletable(store.sessions_in(lecture_id, rules.OPEN_STATUSES))
        lecture.deleted_at = lecture.updated_at = datetime.now(UTC)
        uow.commit()


def enroll(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> tuple[dict[str, Any], bool]:
    """Enroll in a lecture you may see; enrolling again finds the first enrollment (False: not made now)."""
    lecture_id = rules.as_id(raw_id, "lecture")
    with uow:
        store = uow.store(LectureStore)
        lecture = store.read(lecture_id, user_id, with_tasks=False)
        if lecture is None or not rules.visible(
            lecture["instructor_id"], lecture["is_active"], lecture["is_enrolled"], user_id
        ):
            raise NotFound(f"no lecture with id {lecture_id}")
        if lecture["instructor_id"] == user_id:
            raise Conflict("You teach this lecture: only learners enroll in it.")
        enrollment, created = store.enroll(lecture_id, user_id, datetime.now(UTC))
        uow.commit()
    if created:
        lecture["enrolled_count"] += 1
    lecture["is_enrolled"] = True
    return {
        "lecture_id": lecture_id,
        "user_id": user_id,
        "enrolled_at": enrollment.enrolled_at,
        "completed_at": enrollment.completed_at,
        "lecture": lecture,
    }, created
