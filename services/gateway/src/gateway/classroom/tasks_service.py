"""Use cases of a lecture's tasks and their ordered steps: the lecture's instructor adds, edits, moves and removes
them (one step, or a task's whole list at once); anyone who may see the lecture reads them.

Every change first locks the lecture's row, then computes the new order from the current one (lectures_rules), so
positions stay 0, 1, 2, ... under concurrent changes. Another instructor's or a learner's change is a 404.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from gateway.classroom import lectures_rules as rules
from gateway.classroom.lectures_store import LectureStore
from gateway.classroom.models import LectureStep, LectureTask
from gateway.classroom.tasks_store import TaskStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import NotFound

STEP_EDITABLE = (
    "title",
    "description",
    "target_action",
    "target_element_hint",
    "guide_text",
    "voice_guide_text",
    "target_package",
    "target_view_id",
    "target_text",
)
TASK_EDITABLE = ("title", "description")


def _missing(what: str, ident: uuid.UUID, yours: bool = True) -> NotFound:
    return NotFound(f"no {what} with id {ident}" + (" in your lectures" if yours else ""))


def _seen(found: dict[str, Any] | None, viewer_id: uuid.UUID, what: str, ident: uuid.UUID) -> dict[str, Any]:
    if found is None or not rules.visible(found["instructor_id"], found["is_active"], found["is_enrolled"], viewer_id):
        raise _missing(what, ident, yours=False)
    return found


def _new_step(task_id: uuid.UUID, position: int, fields: dict[str, Any], now: datetime) -> LectureStep:
    values = {name: fields[name] for name in STEP_EDITABLE if name in fields}
    return LectureStep(id=uuid.uuid4(), task_id=task_id, position=position, created_at=now, updated_at=now, **values)


def _structure_open(uow: UnitOfWork, lecture_id: uuid.UUID) -> None:
    rules.check_structure_open(uow.store(LectureStore).sessions_in(lecture_id, rules.LIVE_STATUSES))


def _locked(uow: UnitOfWork, model: type, ident: uuid.UUID, instructor_id: uuid.UUID):
    """(lecture id, the task or step) of the instructor's, the lecture's row locked; 404 for anyone else's."""
    tasks = uow.store(TaskStore)
    lecture_id = tasks.lock_lecture_of(model, ident, instructor_id)
    found = None if lecture_id is None else (tasks.step(ident) if model is LectureStep else tasks.task(ident))
    if found is None:  # not the instructor's, or removed while this change waited for the lock
        raise _missing("step" if model is LectureStep else "task", ident)
    return lecture_id, found


def create_task(uow: UnitOfWork, instructor_id: uuid.UUID, raw_lecture_id: str, fields: dict[str, Any]):
    """A task at `order_index` (default: last) of your lecture, with its steps if `subtasks` lists them."""
    lecture_id, now = rules.as_id(raw_lecture_id, "lecture"), datetime.now(UTC)
    with uow:
        if uow.store(LectureStore).own(lecture_id, instructor_id) is None:
            raise NotFound(f"no lecture with id {lecture_id} among yours")
        _structure_open(uow, lecture_id)
        tasks = uow.store(TaskStore)
        order = tasks.task_order(lecture_id)
        rules.check_room(len(order), rules.MAX_TASKS, "tasks", "lecture")
        task = LectureTask(id=uuid.uuid4(), lecture_id=lecture_id, position=len(order), created_at=now, updated_at=now)
        for name in TASK_EDITABLE:
            setattr(task, name, fields[name])
        steps = [_new_step(task.id, at, item, now) for at, item in enumerate(fields.get("subtasks") or ())]
        tasks.add(task, *steps)
        new_order = rules.inserted(list(order), task.id, fields.get("order_index"))
        tasks.set_positions(LectureTask, rules.changed_positions({**order, task.id: len(order)}, new_order))
        uow.commit()
        return tasks.read_task(task.id, instructor_id)


def get_task(uow: UnitOfWork, viewer_id: uuid.UUID, raw_id: str) -> dict[str, Any]:
    """A task with its steps, of a lecture the viewer may see."""
    task_id = rules.as_id(raw_id, "task")
    with uow:
        return _seen(uow.store(TaskStore).read_task(task_id, viewer_id), viewer_id, "task", task_id)


def update_task(uow: UnitOfWork, instructor_id: uuid.UUID, raw_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Change your task's title or description, or move it (`order_index`) among the lecture's tasks."""
    task_id = rules.as_id(raw_id, "task")
    with uow:
        lecture_id, task = _locked(uow, LectureTask, task_id, instructor_id)
        tasks = uow.store(TaskStore)
        if "order_index" in changes:
            order = tasks.task_order(lecture_id)
            positions = rules.changed_positions(order, rules.moved(list(order), task_id, changes["order_index"]))
            if positions:
                _structure_open(uow, lecture_id)
            tasks.set_positions(LectureTask, positions)
        for name in TASK_EDITABLE:
            if name in changes:
                setattr(task, name, changes[name])
        task.updated_at = datetime.now(UTC)
        uow.commit()
        return tasks.read_task(task_id, instructor_id)


def delete_task(uow: UnitOfWork, instructor_id: uuid.UUID, raw_id: str) -> None:
    """Remove your task and its steps; the tasks after it move up."""
    task_id = rules.as_id(raw_id, "task")
    with uow:
        lecture_id, _ = _locked(uow, LectureTask, task_id, instructor_id)
        _structure_open(uow, lecture_id)
        tasks = uow.store(TaskStore)
        order = tasks.task_order(lecture_id)
        tasks.delete(LectureTask, [task_id])
        tasks.set_positions(LectureTask, rules.changed_positions(order, rules.without(list(order), task_id)))
        uow.commit()


def add_step(uow: UnitOfWork, instructor_id: uuid.UUID, raw_task_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    """One step at `order_index` (default: last) of your task."""
    task_id, now = rules.as_id(raw_task_id, "task"), datetime.now(UTC)
    with uow:
        lecture_id, _ = _locked(uow, LectureTask, task_id, instructor_id)
        _structure_open(uow, lecture_id)
        tasks = uow.store(TaskStore)
        order = tasks.step_order(task_id)
        rules.check_room(len(order), rules.MAX_STEPS, "steps", "task")
        step = _new_step(task_id, len(order), fields, now)
        tasks.add(step)
        new_order = rules.inserted(list(order), step.id, fields.get("order_index"))
        tasks.set_positions(LectureStep, rules.changed_positions({**order, step.id: len(order)}, new_order))
        uow.commit()
        return tasks.read_step(step.id, instructor_id)


def replace_steps(uow: UnitOfWork, instructor_id: uuid.UUID, raw_task_id: str, items: list[dict]) -> dict[str, Any]:
    """Your task's steps become `items`, in their order: an item with a step's `id` keeps that step (its progress
    and help requests stay attached), one without is a new step, and a step left out is removed."""
    task_id, now = rules.as_id(raw_task_id, "task"), datetime.now(UTC)
    with uow:
        lecture_id, _ = _locked(uow, LectureTask, task_id, instructor_id)
        tasks = uow.store(TaskStore)
        current = tasks.step_order(task_id)
        plan = rules.replacement(current, items)
        if plan.structural(current):
            _structure_open(uow, lecture_id)
        tasks.delete(LectureStep, plan.removed)
        steps = tasks.steps(task_id)
        for ident, position, fields in plan.kept:
            step = steps[ident]
            for name in STEP_EDITABLE:
                setattr(step, name, fields[name])
            step.position, step.updated_at = position, now
        tasks.add(*(_new_step(task_id, position, fields, now) for position, fields in plan.added))
        uow.commit()
        task = tasks.read_task(task_id, instructor_id)
    counts = {"created_count": len(plan.added), "updated_count": len(plan.kept), "deleted_count": len(plan.removed)}
    return {"status": "updated", "task_id": task_id, **counts, "subtasks": task["subtasks"]}


def get_step(uow: UnitOfWork, viewer_id: uuid.UUID, raw_id: str) -> dict[str, Any]:
    """A step, of a lecture the viewer may see."""
    step_id = rules.as_id(raw_id, "step")
    with uow:
        return _seen(uow.store(TaskStore).read_step(step_id, viewer_id), viewer_id, "step", step_id)


def update_step(uow: UnitOfWork, instructor_id: uuid.UUID, raw_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Change your step's fields, or move it (`order_index`) within its task."""
    step_id = rules.as_id(raw_id, "step")
    with uow:
        lecture_id, step = _locked(uow, LectureStep, step_id, instructor_id)
        tasks = uow.store(TaskStore)
        if "order_index" in changes:
            order = tasks.step_order(step.task_id)
            positions = rules.changed_positions(order, rules.moved(list(order), step_id, changes["order_index"]))
            if positions:
                _structure_open(uow, lecture_id)
            tasks.set_positions(LectureStep, positions)
        for name in STEP_EDITABLE:
            if name in changes:
                setattr(step, name, changes[name])
        step.updated_at = datetime.now(UTC)
        uow.commit()
        return tasks.read_step(step_id, instructor_id)


def delete_step(uow: UnitOfWork, instructor_id: uuid.UUID, raw_id: str) -> None:
    """Remove your step; the steps after it move up."""
    step_id = rules.as_id(raw_id, "step")
    with uow:
        lecture_id, step = _locked(uow, LectureStep, step_id, instructor_id)
        _structure_open(uow, lecture_id)
        tasks = uow.store(TaskStore)
        order = tasks.step_order(step.task_id)
        tasks.delete(LectureStep, [step_id])
        tasks.set_positions(LectureStep, rules.changed_positions(order, rules.without(list(order), step_id)))
        uow.commit()
