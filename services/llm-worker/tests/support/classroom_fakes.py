"""Fakes at the classroom handlers' ports: a scripted provider (then the offline one), counting its calls."""

import threading

from llm_worker.classroom.offline import OfflineClassroomProvider
from llm_worker.classroom.port import ClassroomAnswer, ClassroomRequest
from llm_worker.providers.base import Usage


class ScriptedClassroomProvider:
    """Answers from `script` (results, or exceptions to raise), then like the offline provider; counts calls."""

    name = "scripted"
    model = "scripted-1"

    def __init__(self, *script, billable: bool = True):
        self.script = list(script)
        self.billable = billable
        self.requests: list[ClassroomRequest] = []
        self._offline = OfflineClassroomProvider()
        self._lock = threading.Lock()

    def answer(self, request: ClassroomRequest) -> ClassroomAnswer:
        with self._lock:
            self.requests.append(request)
            step = self.script.pop(0) if self.script else None
        if isinstance(step, Exception):
            raise step
        if step is None:
            return self._offline.answer(request)
        return ClassroomAnswer(step, Usage(10, 5), self.name, self.model)
