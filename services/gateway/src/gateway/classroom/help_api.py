"""/api/help/...: a learner asks for help on a step and gets the AI's diagnosis; the instructor resolves it.
/api/dashboard/help-requests/pending: the instructor's unresolved ones."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.classroom import help_service as help
from gateway.classroom.help_schemas import (
    HelpFeedbackIn,
    HelpFeedbackSchema,
    HelpRequestIn,
    HelpRequestSchema,
    PendingArgs,
    PendingHelpPageSchema,
)
from gateway.classroom.participants_auth import learner_auth, learner_caller, session_participant, signed_in_user
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies
from gateway.platform.idempotency_api import IDEMPOTENCY_PARAMETER, idempotent

blp = Blueprint(
    "help_requests",
    __name__,
    url_prefix="/api",
    description="Classroom: a learner stuck on a step asks for help (signed in, or with a session's participant "
    "token); the llm-worker diagnoses it from the step and what the learner just did. The requester and the "
    "instructor read it; the instructor resolves it; the requester rates the help.",
)
require_json_bodies(blp)
LOCATION = {"Location": {"description": "Where to follow it", "schema": {"type": "string"}}}
NOT_YOURS = "No such help request among yours (or in your sessions and lectures)"


def _asker(body: dict) -> help.Asker:
    """The caller as the one asking: a session's participant, or a signed-in user about a lecture."""
    d = blp.deps
    user = signed_in_user(d)
    if user is None or body.get("session_id") is not None:
        learner = session_participant(d, body.get("session_id"))
        return help.Asker(learner.user_id, learner.id, learner.session_id, learner.lecture_id, learner.display_name)
    return help.Asker(user.user_id)


def _viewer() -> help.Viewer:
    caller = learner_caller(blp.deps)
    user = signed_in_user(blp.deps)
    return help.Viewer(user.user_id) if user else help.Viewer(None, caller.participant_id)


@blp.route("/help/request")
class HelpRequests(MethodView):
    @learner_auth(blp)
    @idempotent(blp)
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.arguments(HelpRequestIn())
    @blp.response(201, HelpRequestSchema, headers=LOCATION, description="Asked: the analysis is queued")
    @blp.alt_response(404, description="No such session among those you joined, or lecture you are enrolled in")
    @blp.alt_response(409, description="The session has ended")
    @blp.alt_response(422, description="No session or lecture named, a step not in the lecture, a screenshot not yours")
    def post(self, body):
        """Ask for help on a step

        The AI diagnoses what went wrong from the step's target action and
        guide and from what you just did (`context.recent_activity`; left
        out, your latest activity log). In a session the instructor sees it
        at once (a `help_requested` session event). Follow Location: the
        analysis lands in `analysis` (`analysis_status` completed).
        """
        view = help.request_help(blp.deps.db.uow(), _asker(body), body)
        return view, 201, {"Location": f"/api/help/request/{view['id']}"}


@blp.route("/help/request/<id:help_request_id>")
class HelpRequestById(MethodView):
    @learner_auth(blp)
    @blp.response(200, HelpRequestSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    def get(self, help_request_id: str):
        """A help request: its status and, once analysed, the AI's diagnosis (the requester or the instructor)"""
        return help.get_help(blp.deps.db.uow(), _viewer(), help_request_id)


@blp.route("/help/request/<id:help_request_id>/resolve")
class ResolveHelpRequest(MethodView):
    @authenticated(blp)
    @blp.response(200, HelpRequestSchema)
    @blp.alt_response(404, description="No such help request in your sessions or lectures")
    @blp.alt_response(409, description="Already resolved")
    def post(self, help_request_id: str):
        """Resolve a help request (the instructor of its session or lecture)

        The requester hears of it (`help_request.resolved`; in a session a
        `help_resolved` session event).
        """
        return help.resolve_help(blp.deps.db.uow(), principal().user_id, help_request_id)


@blp.route("/help/feedback")
class HelpFeedback(MethodView):
    @learner_auth(blp)
    @blp.arguments(HelpFeedbackIn())
    @blp.response(200, HelpFeedbackSchema)
    @blp.alt_response(404, description="No such help request among yours")
    @blp.alt_response(409, description="Rated already, or nothing to rate yet (not analysed nor resolved)")
    @blp.alt_response(422, description="A rating outside 1-5, a text too long")
    def post(self, body):
        """Rate the help you got (1-5, once)"""
        uow = blp.deps.db.uow()
        return help.give_feedback(uow, _viewer(), body["help_request_id"], body["rating"], body["text"])


@blp.route("/dashboard/help-requests/pending")
class PendingHelpRequests(MethodView):
    @authenticated(blp)
    @blp.arguments(PendingArgs(), location="query")
    @blp.response(200, PendingHelpPageSchema)
    @blp.alt_response(404, description="session_id is not a session id")
    def get(self, args):
        """The unresolved help requests of your sessions and lectures, longest waiting first"""
        page, size = args["page"], args["page_size"]
        items, total = help.pending(blp.deps.db.uow(), principal().user_id, page, size, args["session_id"])
        return {"items": items, "page": page, "page_size": size, "total": total, "pages": -(-total // size)}
