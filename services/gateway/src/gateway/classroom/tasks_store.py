"""The tasks' and steps' SQL: one statement to read a task with its steps (or one step), the lecture's row lock
every change of its structure takes first, the current order of a lecture's tasks or a task's steps, and the
writes (positions in one executemany)."""

import functools
import uuid
from typing import Any

from sqlalchemy import Select, bindparam, delete, exists, select, update

from gateway.classroom.lectures_store import STEP_FIELDS, TASK_FIELDS, steps_json, timed
from gateway.classroom.models import Enrollment, Lecture, LectureStep, LectureTask

LIVE = Lecture.deleted_at.is_(None)


def _visibility() -> tuple:
    """What decides whether the viewer sees the lecture a row belongs to."""
    enrolled = exists().where(Enrollment.lecture_id == Lecture.id, Enrollment.user_id == bindparam("viewer"))
    return (
        Lecture.instructor_id,
        Lecture.is_active,
        enrolled.label("is_enrolled"),
        Lecture.title.label("lecture_title"),
    )


@functools.cache
def task_with_steps() -> Select:
    """A task of a live lecture by `id`, with its steps as a JSON array: one statement."""
    own = (*(getattr(LectureTask, name) for name in TASK_FIELDS), LectureTask.position.label("order_index"))
    return (
        select(*own, steps_json(LectureTask.id).label("subtasks"), *_visibility())
        .join(Lecture, Lecture.id == LectureTask.lecture_id)
        .where(LectureTask.id == bindparam("id"), LIVE)
    )


@functools.cache
def one_step() -> Select:
    """A step of a live lecture by `id`: one statement."""
    own = (*(getattr(LectureStep, name) for name in STEP_FIELDS), LectureStep.position.label("order_index"))
    return (
        select(*own, LectureTask.lecture_id, *_visibility())
        .join(LectureTask, LectureTask.id == LectureStep.task_id)
        .join(Lecture, Lecture.id == LectureTask.lecture_id)
        .where(LectureStep.id == bindparam("id"), LIVE)
    )


class TaskStore:
    """Plain methods over a lecture's tasks and steps, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def read_task(self, task_id: uuid.UUID, viewer_id: uuid.UUID) -> dict[str, Any] | None:
        row = self._session.execute(task_with_steps(), {"id": task_id, "viewer": viewer_id}).first()
        return None if row is None else timed(dict(row._mapping))

    def read_step(self, step_id: uuid.UUID, viewer_id: uuid.UUID) -> dict[str, Any] | None:
        row = self._session.execute(one_step(), {"id": step_id, "viewer": viewer_id}).first()
        return None if row is None else dict(row._mapping)

    def lock_lecture_of(self, model: type, ident: uuid.UUID, instructor_id: uuid.UUID) -> uuid.UUID | None:
        """The id of the instructor's live lecture the task or step (`model`) belongs to, its row locked; or None."""
        query = select(Lecture.id).where(Lecture.instructor_id == instructor_id, LIVE)
        if model is LectureStep:
            query = query.join(LectureTask, LectureTask.lecture_id == Lecture.id)
            query = query.join(LectureStep, LectureStep.task_id == LectureTask.id).where(LectureStep.id == ident)
        else:
            query = query.join(LectureTask, LectureTask.lecture_id == Lecture.id).where(LectureTask.id == ident)
        return self._session.scalars(query.with_for_update(of=Lecture)).first()

    def task(self, task_id: uuid.UUID) -> LectureTask | None:
        query = select(LectureTask).where(LectureTask.id == task_id).execution_options(populate_existing=True)
        return self._session.scalars(query).first()

    def step(self, step_id: uuid.UUID) -> LectureStep | None:
        query = select(LectureStep).where(LectureStep.id == step_id).execution_options(populate_existing=True)
        return self._session.scalars(query).first()

    def task_order(self, lecture_id: uuid.UUID) -> dict[uuid.UUID, int]:
        """{task id: position} of the lecture's tasks, in order."""
        query = select(LectureTask.id, LectureTask.position).where(LectureTask.lecture_id == lecture_id)
        return dict(self._session.execute(query.order_by(LectureTask.position, LectureTask.id)).all())

    def step_order(self, task_id: uuid.UUID) -> dict[uuid.UUID, int]:
        """{step id: position} of the task's steps, in order."""
        query = select(LectureStep.id, LectureStep.position).where(LectureStep.task_id == task_id)
        return dict(self._session.execute(query.order_by(LectureStep.position, LectureStep.id)).all())

    def steps(self, task_id: uuid.UUID) -> dict[uuid.UUID, LectureStep]:
        query = select(LectureStep).where(LectureStep.task_id == task_id).execution_options(populate_existing=True)
        return {step.id: step for step in self._session.scalars(query)}

    def add(self, *rows: LectureTask | LectureStep) -> None:
        self._session.add_all(rows)
        self._session.flush()

    def set_positions(self, model: type, positions: dict[uuid.UUID, int]) -> None:
        """Write each row's new position: one executemany, whatever the number."""
        if positions:
            rows = [{"b_id": ident, "b_position": at} for ident, at in positions.items()]
            statement = update(model).where(model.id == bindparam("b_id")).values(position=bindparam("b_position"))
            self._session.connection().execute(statement, rows)

    def delete(self, model: type, ids: list[uuid.UUID]) -> None:
        if ids:
            self._session.execute(
                delete(model).where(model.id.in_(ids)), execution_options={"synchronize_session": False}
            )
