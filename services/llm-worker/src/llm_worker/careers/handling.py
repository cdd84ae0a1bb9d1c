"""The careers family of the AI task flow (llm_worker.task_handling): careers.* events, the careers result
schemas, CareersEvent reports; and the checks the careers commands share."""

import json
from typing import Any

from llm_worker.careers.port import CareersRequest
from llm_worker.careers.reports import CareersReport
from llm_worker.task_handling import TaskHandler
from shared.messages.careers_results import RESULTS


class CareersHandler(TaskHandler):
    """The shared flow; each command's handler module says what its command is and what it asks for."""

    FAMILY = "careers"
    RESULTS = RESULTS

    def report(self, task_id: str, step: int, attempt: int) -> CareersReport:
        return CareersReport(self._reporter, self.TASK, task_id, step, attempt)

    def salvaged_step(self, body: bytes) -> int:
        return salvage_step(body)

    def request(self, command: Any) -> CareersRequest:
        raise NotImplementedError


def documents_problem(**documents: Any) -> str | None:
    """Why a command's résumé, posting or feedback is unusable: each must be an object, or absent (None)."""
    for name, value in documents.items():
        if value is not None and not isinstance(value, dict):
            return f"{name} must be an object"
    return None


def salvage_step(body: bytes) -> int:
    """An interview step a broken message names (0 when it names none)."""
    try:
        step = json.loads(body).get("step")
    except (ValueError, AttributeError):
        return 0
    return step if isinstance(step, int) and not isinstance(step, bool) and step >= 0 else 0
