"""Handles ReviewResume: feedback on a résumé, in general or against one job posting."""

from llm_worker.careers.handling import CareersHandler, documents_problem
from llm_worker.careers.port import CareersRequest
from shared.messages.careers import ReviewResume


class ReviewResumeHandler(CareersHandler):
    COMMAND = ReviewResume
    TASK = "feedback"
    ID_FIELD = "feedback_id"

    def problem(self, command: ReviewResume) -> str | None:
        if not isinstance(command.resume, dict):
            return "resume must be an object"
        return documents_problem(posting=command.posting)

    def request(self, command: ReviewResume) -> CareersRequest:
        return CareersRequest(
            "feedback", resume=command.resume, posting=command.posting, requested_at=command.requested_at
        )
