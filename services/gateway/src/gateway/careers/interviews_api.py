"""/api/interviews: a mock interview on your résumé (and a posting), one question at a time, then a verdict."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.careers import interviews_service as interviews
from gateway.careers.interviews_schemas import (
    AnswerCreateSchema,
    InterviewCreateSchema,
    InterviewPageSchema,
    InterviewSchema,
)
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import PageArgs, require_json_bodies
from gateway.platform.idempotency_api import IDEMPOTENCY_PARAMETER, idempotent

blp = Blueprint(
    "interviews",
    __name__,
    url_prefix="/api/interviews",
    description="Careers: mock interviews. Each step (the first question, an answer's evaluation and the next "
    "question, the final verdict) is asynchronous: 202, then read the interview until its status is completed.",
)
require_json_bodies(blp)
LOCATION = {"Location": {"description": "The interview's URL", "schema": {"type": "string"}}}
BUSY = "A step is still running, the question was answered already or is not the current one, or it is finished"


@blp.route("")
class Interviews(MethodView):
    @authenticated(blp)
    @idempotent(blp)
    @blp.arguments(InterviewCreateSchema())
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(202, InterviewSchema, headers=LOCATION, description="Queued: the first question is coming")
    @blp.alt_response(404, description="No such résumé or posting among yours")
    @blp.alt_response(422, description="A missing or malformed id")
    def post(self, body):
        """Start a mock interview

        The questions come from the résumé and, if given, the posting. The
        first one arrives as the interview's first turn (`current_question_id`).
        """
        interview = interviews.start_interview(
            blp.deps.db.uow(), principal().user_id, body["resume_id"], body["posting_id"]
        )
        return interview, 202, {"Location": f"/api/interviews/{interview.id}"}

    @authenticated(blp)
    @blp.arguments(PageArgs(), location="query")
    @blp.response(200, InterviewPageSchema)
    def get(self, args):
        """Your mock interviews, newest first"""
        page, size = args["page"], args["page_size"]
        items, total = interviews.list_interviews(blp.deps.db.uow(), principal().user_id, page, size)
        return {"items": items, "page": page, "page_size": size, "total": total, "pages": -(-total // size)}


@blp.route("/<interview_id>")
class InterviewById(MethodView):
    @authenticated(blp)
    @blp.response(200, InterviewSchema)
    @blp.alt_response(404, description="No such interview among yours")
    def get(self, interview_id: str):
        """A mock interview: its turns in order, the current question and, once finished, its scores"""
        return interviews.get_interview(blp.deps.db.uow(), principal().user_id, interview_id)


@blp.route("/<interview_id>/answers")
class Answers(MethodView):
    @authenticated(blp)
    @idempotent(blp)
    @blp.arguments(AnswerCreateSchema())
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(202, InterviewSchema, headers=LOCATION, description="Queued: the evaluation is coming")
    @blp.alt_response(404, description="No such interview among yours")
    @blp.alt_response(409, description=BUSY)
    @blp.alt_response(422, description="A blank or too long answer, or a question this interview never asked")
    def post(self, body, interview_id: str):
        """Answer the current question

        The answer is evaluated and scored, and the next question (if any)
        is appended to the turns; with none, finish the interview. A retry
        with the same Idempotency-Key gets the first answer back, not a 409.
        """
        interview = interviews.answer_question(
            blp.deps.db.uow(), principal().user_id, interview_id, body["question_id"], body["answer"]
        )
        return interview, 202, {"Location": f"/api/interviews/{interview.id}"}


@blp.route("/<interview_id>/finish")
class Finish(MethodView):
    @authenticated(blp)
    @idempotent(blp)
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(202, InterviewSchema, headers=LOCATION, description="Queued: the overall evaluation is coming")
    @blp.alt_response(404, description="No such interview among yours")
    @blp.alt_response(409, description="A step is still running, no question was answered, or it is finished")
    def post(self, interview_id: str):
        """Finish the interview: an overall evaluation and a score per competence

        Unanswered questions are left out. If the final evaluation fails, it
        may be asked for again.
        """
        interview = interviews.finish_interview(blp.deps.db.uow(), principal().user_id, interview_id)
        return interview, 202, {"Location": f"/api/interviews/{interview.id}"}
