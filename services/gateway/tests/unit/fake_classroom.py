"""A lecture's tasks and steps in memory: the methods of LectureStore and TaskStore the task use cases call."""

import uuid
from types import SimpleNamespace

from gateway.classroom.lectures_store import LectureStore
from gateway.classroom.models import LectureStep, LectureTask
from gateway.classroom.tasks_store import TaskStore


class FakeLectureStore:
    port = LectureStore

    def __init__(self):
        self.owners: dict[uuid.UUID, uuid.UUID] = {}  # lecture -> instructor
        self.live: set[uuid.UUID] = set()  # lectures with a live session

    def own(self, lecture_id, instructor_id):
        return SimpleNamespace(id=lecture_id) if self.owners.get(lecture_id) == instructor_id else None

    def sessions_in(self, lecture_id, statuses) -> int:
        return int(lecture_id in self.live)


class FakeTaskStore:
    port = TaskStore

    def __init__(self):
        self.owners: dict[uuid.UUID, uuid.UUID] = {}  # lecture -> instructor (as the lecture store has them)
        self.tasks: dict[uuid.UUID, SimpleNamespace] = {}
        self.steps_by_id: dict[uuid.UUID, SimpleNamespace] = {}

    def lock_lecture_of(self, model, ident, instructor_id):
        row = (self.steps_by_id if model is LectureStep else self.tasks).get(ident)
        if row is None:
            return None
        lecture_id = self.tasks[row.task_id].lecture_id if model is LectureStep else row.lecture_id
        return lecture_id if self.owners.get(lecture_id) == instructor_id else None

    def task(self, task_id):
        return self.tasks.get(task_id)

    def step(self, step_id):
        return self.steps_by_id.get(step_id)

    def task_order(self, lecture_id):
        return self._order(t for t in self.tasks.values() if t.lecture_id == lecture_id)

    def step_order(self, task_id):
        return self._order(s for s in self.steps_by_id.values() if s.task_id == task_id)

    def steps(self, task_id):
        return {s.id: s for s in self.steps_by_id.values() if s.task_id == task_id}

    def add(self, *rows) -> None:
        for row in rows:
            names = ("id", "lecture_id", "position", "title", "description", "created_at", "updated_at")
            if isinstance(row, LectureTask):
                self.tasks[row.id] = SimpleNamespace(**{name: getattr(row, name) for name in names})
            else:
                self.steps_by_id[row.id] = SimpleNamespace(
                    **{c.key: getattr(row, c.key) for c in LectureStep.__table__.c}
                )

    def set_positions(self, model, positions) -> None:
        rows = self.steps_by_id if model is LectureStep else self.tasks
        for ident, position in positions.items():
            rows[ident].position = position

    def delete(self, model, ids) -> None:
        for ident in ids:
            if model is LectureTask:
                self.tasks.pop(ident)
                self.steps_by_id = {k: s for k, s in self.steps_by_id.items() if s.task_id != ident}
            else:
                self.steps_by_id.pop(ident)

    def read_task(self, task_id, viewer_id):
        task = self.tasks.get(task_id)
        if task is None:
            return None
        steps = sorted(self.steps(task_id).values(), key=lambda s: s.position)
        return {**vars(task), "order_index": task.position, "subtasks": [self._shown(s) for s in steps]}

    def read_step(self, step_id, viewer_id):
        step = self.steps_by_id.get(step_id)
        return None if step is None else self._shown(step)

    def _shown(self, step) -> dict:
        lecture_id = self.tasks[step.task_id].lecture_id
        owner = {"instructor_id": self.owners[lecture_id], "is_active": True, "is_enrolled": False}
        return {**vars(step), "order_index": step.position, **owner}

    @staticmethod
    def _order(rows) -> dict:
        return {row.id: row.position for row in sorted(rows, key=lambda row: (row.position, row.id))}
