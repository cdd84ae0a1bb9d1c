"""The lectures' SQL: a lecture with all its tasks and steps read in ONE statement, pages of lectures, enrollments.

A lecture's tasks are read as a JSON array (json_agg in `position` order) whose items hold their steps as a JSON
array in turn, by correlated subqueries, so a read costs one round trip whether the lecture has one step or a
thousand. Counts (learners enrolled, sessions, tasks, steps) are subqueries of the same statement.
"""

import functools
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by, insert

from gateway.accounts.models import User
from gateway.classroom.models import ClassSession, Enrollment, Lecture, LectureStep, LectureTask

STEP_FIELDS = (
    "id",
    "task_id",
    "title",
    "description",
    "target_action",
    "target_element_hint",
    "guide_text",
    "voice_guide_text",
    "target_package",
    "target_view_id",
    "target_text",
    "created_at",
    "updated_at",
)
TASK_FIELDS = ("id", "lecture_id", "title", "description", "created_at", "updated_at")
LECTURE_FIELDS = (
    "id",
    "title",
    "description",
    "thumbnail_url",
    "is_active",
    "instructor_id",
    "created_at",
    "updated_at",
)
LIVE = Lecture.deleted_at.is_(None)
EMPTY = literal_column("'[]'::json")


def _object(model: type, names: tuple[str, ...]):
    pairs = []
    for name in names:
        pairs += [literal_column(f"'{name}'"), getattr(model, name)]
    return [*pairs, literal_column("'order_index'"), model.position]


def steps_json(task_id):
    """The steps of the task `task_id` names, as a JSON array in order ([] when none)."""
    items = func.json_agg(
        aggregate_order_by(func.json_build_object(*_object(LectureStep, STEP_FIELDS)), LectureStep.position)
    )
    return select(func.coalesce(items, EMPTY)).where(LectureStep.task_id == task_id).scalar_subquery()


def _tasks_json():
    steps = steps_json(LectureTask.id)
    task = func.json_build_object(*_object(LectureTask, TASK_FIELDS), literal_column("'subtasks'"), steps)
    items = func.json_agg(aggregate_order_by(task, LectureTask.position))
    return select(func.coalesce(items, EMPTY)).where(LectureTask.lecture_id == Lecture.id).scalar_subquery()


def _count(model: type, *conditions):
    """A count of `model`'s rows, correlated to the lecture only (a page of enrollments joins them too)."""
    return select(func.count()).select_from(model).where(*conditions).correlate(Lecture).scalar_subquery()


def _summary() -> tuple:
    """A lecture's own columns, its instructor's name, its counts, and whether the viewer is enrolled."""
    steps = (
        select(func.count())
        .select_from(LectureStep)
        .join(LectureTask, LectureTask.id == LectureStep.task_id)
        .where(LectureTask.lecture_id == Lecture.id)
        .correlate(Lecture)
        .scalar_subquery()
    )
    viewer = select(Enrollment.user_id).where(
        Enrollment.lecture_id == Lecture.id, Enrollment.user_id == bindparam("viewer")
    )
    enrolled = viewer.correlate(Lecture).exists()
    return (
        *(getattr(Lecture, name) for name in LECTURE_FIELDS),
        User.username.label("instructor_username"),
        _count(Enrollment, Enrollment.lecture_id == Lecture.id).label("enrolled_count"),
        _count(ClassSession, ClassSession.lecture_id == Lecture.id).label("session_count"),
        _count(LectureTask, LectureTask.lecture_id == Lecture.id).label("task_count"),
        steps.label("subtask_count"),
        enrolled.label("is_enrolled"),
    )


@functools.cache
def whole(with_tasks: bool) -> Select:
    """A live lecture by `id` with its counts (and every task with its steps): one statement."""
    columns = (*_summary(), _tasks_json().label("tasks")) if with_tasks else _summary()
    query = select(*columns).join(User, User.id == Lecture.instructor_id)
    return query.where(Lecture.id == bindparam("id"), LIVE)


def _listed(view: str):
    """(join, conditions, order) of the lectures a view lists."""
    if view == "teaching":
        return None, (Lecture.instructor_id == bindparam("viewer"),), (Lecture.created_at.desc(), Lecture.id.desc())
    if view == "available":
        return None, (Lecture.is_active.is_(True),), (Lecture.created_at.desc(), Lecture.id.desc())
    mine = (Enrollment.lecture_id == Lecture.id) & (Enrollment.user_id == bindparam("viewer"))
    return mine, (), (Enrollment.enrolled_at.desc(), Lecture.id.desc())


@functools.cache
def listing(view: str) -> Select:
    """One page (`offset`, `limit`) of a view's live lectures, newest first (`enrolled`: latest enrolled first)."""
    join, conditions, order = _listed(view)
    query = select(*_summary()).join(User, User.id == Lecture.instructor_id)
    if join is not None:
        query = query.join(Enrollment, join)
    query = query.where(LIVE, *conditions).order_by(*order)
    return query.offset(bindparam("offset")).limit(bindparam("limit"))


@functools.cache
def counting(view: str) -> Select:
    join, conditions, _ = _listed(view)
    query = select(func.count()).select_from(Lecture)
    if join is not None:
        query = query.join(Enrollment, join)
    return query.where(LIVE, *conditions)


def timed(item: dict[str, Any]) -> dict[str, Any]:
    """A JSON-read task or step with its times as datetimes, as the ORM gives them."""
    for name in ("created_at", "updated_at"):
        if isinstance(item[name], str):
            item[name] = datetime.fromisoformat(item[name])
    if "subtasks" in item:
        for step in item["subtasks"]:
            timed(step)
    return item


def shown(row) -> dict[str, Any]:
    """A lecture row as the API shows it: the instructor as {id, username}; tasks and steps with datetimes."""
    lecture = dict(row._mapping)
    lecture["instructor"] = {"id": lecture["instructor_id"], "username": lecture.pop("instructor_username")}
    for task in lecture.get("tasks", ()):
        timed(task)
    return lecture


class LectureStore:
    """Plain methods over lectures and enrollments, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def read(self, lecture_id: uuid.UUID, viewer_id: uuid.UUID, with_tasks: bool = True) -> dict[str, Any] | None:
        """The live lecture with its counts, `is_enrolled` for the viewer, and (`with_tasks`) every task and step."""
        row = self._session.execute(whole(with_tasks), {"id": lecture_id, "viewer": viewer_id}).first()
        return None if row is None else shown(row)

    def page(self, view: str, viewer_id: uuid.UUID, page: int, size: int) -> tuple[list[dict[str, Any]], int]:
        params = {"viewer": viewer_id, "offset": (page - 1) * size, "limit": size}
        rows = self._session.execute(listing(view), params).all()
        total = self._session.execute(counting(view), {"viewer": viewer_id}).scalar_one()
        return [shown(row) for row in rows], total

    def add(self, lecture: Lecture) -> None:
        self._session.add(lecture)
        self._session.flush()

    def own(self, lecture_id: uuid.UUID, instructor_id: uuid.UUID) -> Lecture | None:
        """The instructor's live lecture, row-locked until the transaction ends (the lock of its whole structure)."""
        query = select(Lecture).where(Lecture.id == lecture_id, Lecture.instructor_id == instructor_id, LIVE)
        query = query.with_for_update().execution_options(populate_existing=True)
        return self._session.scalars(query).first()

    def sessions_in(self, lecture_id: uuid.UUID, statuses: tuple[str, ...]) -> int:
        """How many of the lecture's sessions are in one of `statuses`."""
        query = _count(ClassSession, ClassSession.lecture_id == lecture_id, ClassSession.status.in_(statuses))
        return self._session.execute(select(query)).scalar_one()

    def enroll(self, lecture_id: uuid.UUID, user_id: uuid.UUID, now: datetime) -> tuple[Enrollment, bool]:
        """The user's enrollment in the lecture, and whether this call made it (a repeat finds the first)."""
        made = self._session.execute(
            insert(Enrollment)
            .values(lecture_id=lecture_id, user_id=user_id, enrolled_at=now)
            .on_conflict_do_nothing()
            .returning(Enrollment.lecture_id)
        ).first()
        enrollment = self._session.get(Enrollment, (lecture_id, user_id))
        return enrollment, made is not None
