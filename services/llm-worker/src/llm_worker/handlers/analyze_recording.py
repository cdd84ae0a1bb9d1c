"""Handles AnalyzeRecording: the steps a recording shows, and where its user hesitated."""

from llm_worker.classroom.handling import ClassroomHandler
from llm_worker.classroom.port import ClassroomRequest
from shared.messages.classroom import AnalyzeRecording


class AnalyzeRecordingHandler(ClassroomHandler):
    COMMAND = AnalyzeRecording
    TASK = "recording_analysis"
    ID_FIELD = "recording_id"

    def problem(self, command: AnalyzeRecording) -> str | None:
        if not isinstance(command.events, list):
            return "events must be a list"
        return None

    def request(self, command: AnalyzeRecording) -> ClassroomRequest:
        return ClassroomRequest("recording_analysis", events=tuple(command.events), requested_at=command.requested_at)
