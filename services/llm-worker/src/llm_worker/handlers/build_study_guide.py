"""Handles BuildStudyGuide: study items for the gaps between a résumé and a posting, or those a feedback found."""

from llm_worker.careers.handling import CareersHandler, documents_problem
from llm_worker.careers.port import CareersRequest
from shared.messages.careers import BuildStudyGuide


class BuildStudyGuideHandler(CareersHandler):
    COMMAND = BuildStudyGuide
    TASK = "study_guide"
    ID_FIELD = "guide_id"

    def problem(self, command: BuildStudyGuide) -> str | None:
        if command.resume is None and command.posting is None and command.feedback is None:
            return "a study guide needs a résumé, a posting or a feedback"
        return documents_problem(resume=command.resume, posting=command.posting, feedback=command.feedback)

    def request(self, command: BuildStudyGuide) -> CareersRequest:
        return CareersRequest(
            "study_guide",
            resume=command.resume,
            posting=command.posting,
            feedback=command.feedback,
            requested_at=command.requested_at,
        )
