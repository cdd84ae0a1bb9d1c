"""/api/study-guides: what to study, with keywords and priorities, from a feedback's findings or a posting."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.careers import study_guides_service as guides
from gateway.careers.study_guides_schemas import StudyGuideCreateSchema, StudyGuidePageSchema, StudyGuideSchema
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import PageArgs, require_json_bodies
from gateway.platform.idempotency_api import IDEMPOTENCY_PARAMETER, idempotent

blp = Blueprint(
    "study-guides",
    __name__,
    url_prefix="/api/study-guides",
    description="Careers: study guides built by the AI from the gaps a feedback found or a posting shows (async).",
)
require_json_bodies(blp)
LOCATION = {"Location": {"description": "The guide's URL", "schema": {"type": "string"}}}


@blp.route("")
class StudyGuides(MethodView):
    @authenticated(blp)
    @idempotent(blp)
    @blp.arguments(StudyGuideCreateSchema())
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(202, StudyGuideSchema, headers=LOCATION, description="Queued: follow Location")
    @blp.alt_response(404, description="No such feedback, posting or résumé among yours")
    @blp.alt_response(409, description="The feedback is not finished yet")
    @blp.alt_response(422, description="Neither or both of feedback_id and posting_id, or a malformed id")
    def post(self, body):
        """Ask for a study guide

        From a finished feedback (`feedback_id`: what it found missing, with its
        résumé and posting if they still exist), or from a posting
        (`posting_id`: what it asks for against `resume_id` or, by default,
        your newest résumé).
        """
        guide = guides.create_guide(
            blp.deps.db.uow(), principal().user_id, body["feedback_id"], body["posting_id"], body["resume_id"]
        )
        return guide, 202, {"Location": f"/api/study-guides/{guide.id}"}

    @authenticated(blp)
    @blp.arguments(PageArgs(), location="query")
    @blp.response(200, StudyGuidePageSchema)
    def get(self, args):
        """Your study guides, newest first"""
        page, size = args["page"], args["page_size"]
        items, total = guides.list_guides(blp.deps.db.uow(), principal().user_id, page, size)
        return {"items": items, "page": page, "page_size": size, "total": total, "pages": -(-total // size)}


@blp.route("/<guide_id>")
class StudyGuideById(MethodView):
    @authenticated(blp)
    @blp.response(200, StudyGuideSchema)
    @blp.alt_response(404, description="No such study guide among yours")
    def get(self, guide_id: str):
        """A study guide: its status and, once completed, its items in order"""
        return guides.get_guide(blp.deps.db.uow(), principal().user_id, guide_id)

    @authenticated(blp)
    @blp.response(204)
    @blp.alt_response(404, description="No such study guide among yours")
    def delete(self, guide_id: str):
        """Delete a study guide (it leaves every read)"""
        guides.delete_guide(blp.deps.db.uow(), principal().user_id, guide_id)
