"""The classroom family of the AI task flow (llm_worker.task_handling): classroom.* events, the classroom result
schemas, ClassroomEvent reports."""

from typing import Any

from llm_worker.classroom.port import ClassroomRequest
from llm_worker.classroom.reports import ClassroomReport
from llm_worker.task_handling import TaskHandler
from shared.messages.classroom_results import RESULTS


class ClassroomHandler(TaskHandler):
    """The shared flow; each command's handler module says what its command is and what it asks for."""

    FAMILY = "classroom"
    RESULTS = RESULTS

    def report(self, task_id: str, step: int, attempt: int) -> ClassroomReport:
        return ClassroomReport(self._reporter, self.TASK, task_id, attempt)

    def request(self, command: Any) -> ClassroomRequest:
        raise NotImplementedError
