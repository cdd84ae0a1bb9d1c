"""/api/sessions/{id}/presence and /progress: where a learner is; the real-time channel posts them for its sockets."""

from flask.views import MethodView

from gateway.classroom import presence
from gateway.classroom.participants_auth import learner_auth, session_participant
from gateway.classroom.presence_schemas import (
    PresenceAnswerSchema,
    PresenceSchema,
    ProgressAnswerSchema,
    ProgressSchema,
)
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies

blp = Blueprint(
    "session_presence",
    __name__,
    url_prefix="/api/sessions",
    description="Classroom: where a learner is. The notifier posts these with the learner's token for its sockets "
    "(a learner's first socket joined, their last one closed, a progress_update); an app may post them itself.",
)
require_json_bodies(blp)


@blp.route("/<id:session_id>/presence")
class Presence(MethodView):
    @learner_auth(blp)
    @blp.arguments(PresenceSchema())
    @blp.response(200, PresenceAnswerSchema)
    @blp.alt_response(404, description="No such session among those you joined")
    @blp.alt_response(422, description="`connected` is not true or false")
    def post(self, body, session_id: str):
        """Say you are connected (back after a leave: participant_joined) or gone (participant_left)"""
        d = blp.deps
        return presence.set_presence(d.db.uow(), session_participant(d, session_id), body["connected"])


@blp.route("/<id:session_id>/progress")
class Progress(MethodView):
    @learner_auth(blp)
    @blp.arguments(ProgressSchema())
    @blp.response(200, ProgressAnswerSchema)
    @blp.alt_response(404, description="No such session among those you joined")
    @blp.alt_response(409, description="The session has not started or has ended")
    @blp.alt_response(422, description="No step of this session's lecture, or another status")
    def post(self, body, session_id: str):
        """Say which step you are working on (progress_updated for the instructor; a step done: report-completion)"""
        d = blp.deps
        return presence.report_progress(d.db.uow(), session_participant(d, session_id), body["subtask_id"])
