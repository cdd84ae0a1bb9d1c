"""Handles RewriteResume: an improved résumé from a résumé and the feedback on it."""

from llm_worker.careers.handling import CareersHandler, documents_problem
from llm_worker.careers.port import CareersRequest
from shared.messages.careers import RewriteResume


class RewriteResumeHandler(CareersHandler):
    COMMAND = RewriteResume
    TASK = "rewrite"
    ID_FIELD = "rewrite_id"

    def problem(self, command: RewriteResume) -> str | None:
        if not isinstance(command.resume, dict) or not isinstance(command.feedback, dict):
            return "resume and feedback must be objects"
        return documents_problem(posting=command.posting)

    def request(self, command: RewriteResume) -> CareersRequest:
        return CareersRequest(
            "rewrite",
            resume=command.resume,
            posting=command.posting,
            feedback=command.feedback,
            requested_at=command.requested_at,
        )
