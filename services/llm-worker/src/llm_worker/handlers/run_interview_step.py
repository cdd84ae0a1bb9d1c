"""Handles RunInterviewStep: a mock interview's first question, an answer's evaluation and the next question, or
the final verdict. Each step is its own piece of work (`step`), reported and remembered apart."""

from llm_worker.careers.handling import CareersHandler, documents_problem
from llm_worker.careers.port import CareersRequest
from shared.messages.careers import INTERVIEW_ACTIONS, RunInterviewStep


class RunInterviewStepHandler(CareersHandler):
    COMMAND = RunInterviewStep
    TASK = "interview"
    ID_FIELD = "interview_id"

    def step(self, command: RunInterviewStep) -> int:
        return command.step

    def problem(self, command: RunInterviewStep) -> str | None:
        if isinstance(command.step, bool) or not isinstance(command.step, int) or command.step < 0:
            return "step must be a whole number, 0 or more"
        if command.action not in INTERVIEW_ACTIONS:
            return f"action must be one of {list(INTERVIEW_ACTIONS)}, not {command.action!r}"
        if not isinstance(command.resume, dict):
            return "resume must be an object"
        if not isinstance(command.turns, list) or not all(isinstance(turn, dict) for turn in command.turns):
            return "turns must be a list of objects"
        if command.action == "answer" and not command.turns:
            return "an answer step needs the turn that holds the answer"
        return documents_problem(posting=command.posting)

    def request(self, command: RunInterviewStep) -> CareersRequest:
        return CareersRequest(
            f"interview.{command.action}",
            resume=command.resume,
            posting=command.posting,
            turns=tuple(command.turns),
            requested_at=command.requested_at,
        )
