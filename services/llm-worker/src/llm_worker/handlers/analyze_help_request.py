"""Handles AnalyzeHelpRequest: why a learner is stuck on a step, and how to get on."""

from llm_worker.classroom.handling import ClassroomHandler
from llm_worker.classroom.port import ClassroomRequest
from shared.messages.classroom import AnalyzeHelpRequest


class AnalyzeHelpRequestHandler(ClassroomHandler):
    COMMAND = AnalyzeHelpRequest
    TASK = "help_analysis"
    ID_FIELD = "help_request_id"

    def problem(self, command: AnalyzeHelpRequest) -> str | None:
        if command.step is not None and not isinstance(command.step, dict):
            return "step must be an object or null"
        if not isinstance(command.context, dict):
            return "context must be an object"
        return None

    def request(self, command: AnalyzeHelpRequest) -> ClassroomRequest:
        return ClassroomRequest(
            "help_analysis", step=command.step, context=command.context, requested_at=command.requested_at
        )
