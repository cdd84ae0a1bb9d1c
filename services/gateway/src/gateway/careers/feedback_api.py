"""/api/resume_feedbacks and /api/resume_rewrites: AI feedback on a résumé, and a résumé rewritten from it (async)."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.careers import feedback_service as feedback
from gateway.careers.feedback_schemas import FeedbackAcceptedSchema, FeedbackPageSchema, FeedbackSchema, RewriteSchema
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import PageArgs, require_json_bodies
from gateway.platform.idempotency_api import IDEMPOTENCY_PARAMETER, idempotent

blp = Blueprint(
    "resume_feedbacks",
    __name__,
    url_prefix="/api",
    description="Careers: AI feedback on a résumé, in general or against a job posting, and a new résumé rewritten "
    "from it. Both are asynchronous: 202, then follow Location; you are notified when they finish.",
)
require_json_bodies(blp)
LOCATION = {"Location": {"description": "Where to follow it", "schema": {"type": "string"}}}
REWRITE_CONFLICT = "The feedback is not completed, is of the other kind, or its résumé was deleted"


def _accepted(work, path: str):
    return work, 202, {"Location": f"/api/{path}/{work.id}"}


@blp.route("/resume_feedbacks/standard/<id:resume_id>")
class StandardFeedback(MethodView):
    @authenticated(blp)
    @idempotent(blp)
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(202, FeedbackAcceptedSchema, headers=LOCATION, description="Queued: follow Location")
    @blp.alt_response(404, description="No such résumé among yours (or it was deleted)")
    def post(self, resume_id: str):
        """Ask for AI feedback on a résumé

        Its strengths, what must be fixed, suggestions and further
        recommendations, with the résumé as Markdown.
        """
        work = feedback.request_feedback(blp.deps.db.uow(), principal().user_id, resume_id)
        return _accepted(work, "resume_feedbacks")


@blp.route("/resume_feedbacks/posting/<id:resume_id>/<id:posting_id>")
class PostingFeedback(MethodView):
    @authenticated(blp)
    @idempotent(blp)
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(202, FeedbackAcceptedSchema, headers=LOCATION, description="Queued: follow Location")
    @blp.alt_response(404, description="No such résumé or job posting among yours (or it was deleted)")
    def post(self, resume_id: str, posting_id: str):
        """Ask for AI feedback on a résumé against a job posting

        Also how well the résumé matches the posting (`matching_rate`, 0-100).
        """
        work = feedback.request_feedback(blp.deps.db.uow(), principal().user_id, resume_id, posting_id)
        return _accepted(work, "resume_feedbacks")


@blp.route("/resume_feedbacks")
class Feedbacks(MethodView):
    @authenticated(blp)
    @blp.arguments(PageArgs(), location="query")
    @blp.response(200, FeedbackPageSchema)
    def get(self, args):
        """Your AI feedback, newest first"""
        page, size = args["page"], args["page_size"]
        items, total = feedback.list_feedbacks(blp.deps.db.uow(), principal().user_id, page, size)
        return {"items": items, "page": page, "page_size": size, "total": total, "pages": -(-total // size)}


@blp.route("/resume_feedbacks/<id:feedback_id>")
class FeedbackById(MethodView):
    @authenticated(blp)
    @blp.response(200, FeedbackSchema)
    @blp.alt_response(404, description="No such feedback among yours (or it was deleted)")
    def get(self, feedback_id: str):
        """A feedback: its status and, once completed, its points with their divisions' labels"""
        return feedback.get_feedback(blp.deps.db.uow(), principal().user_id, feedback_id)

    @authenticated(blp)
    @blp.response(204)
    @blp.alt_response(404, description="No such feedback among yours (or it was deleted)")
    def delete(self, feedback_id: str):
        """Delete a feedback: it leaves every read"""
        feedback.delete_feedback(blp.deps.db.uow(), principal().user_id, feedback_id)


def _rewrite_view(kind: str, summary: str):
    @authenticated(blp)
    @idempotent(blp)
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(202, RewriteSchema, headers=LOCATION, description="Queued: follow Location")
    @blp.alt_response(404, description="No such feedback among yours (or it was deleted)")
    @blp.alt_response(409, description=REWRITE_CONFLICT)
    def post(self, feedback_id: str):
        work = feedback.request_rewrite(blp.deps.db.uow(), principal().user_id, feedback_id, kind)
        return _accepted(work, "resume_rewrites")

    post.__doc__ = summary
    return post


@blp.route("/resume_feedbacks/standard_resume/<id:feedback_id>")
class StandardRewrite(MethodView):
    post = _rewrite_view(
        "standard",
        "Rewrite a résumé from its general feedback\n\nA new résumé of yours (type 3), linked to the feedback.",
    )


@blp.route("/resume_feedbacks/posting_resume/<id:feedback_id>")
class PostingRewrite(MethodView):
    post = _rewrite_view(
        "posting",
        "Rewrite a résumé for a job posting from its feedback\n\nA new résumé of yours (type 2), linked to it.",
    )


@blp.route("/resume_rewrites/<id:rewrite_id>")
class RewriteById(MethodView):
    @authenticated(blp)
    @blp.response(200, RewriteSchema)
    @blp.alt_response(404, description="No such rewrite among yours")
    def get(self, rewrite_id: str):
        """A rewrite: its status and, once completed, the new résumé's id"""
        return feedback.get_rewrite(blp.deps.db.uow(), principal().user_id, rewrite_id)
