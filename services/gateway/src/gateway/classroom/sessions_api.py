"""/api/lectures/{id}/sessions and /api/sessions: open a live session, find it by code or QR, and control it."""

from flask import Response
from flask.views import MethodView
from werkzeug.routing import UnicodeConverter

from gateway.accounts.guard import authenticated, principal
from gateway.classroom import code_guesses
from gateway.classroom import sessions_service as sessions
from gateway.classroom.participants_auth import ParticipantClaims, learner_auth, learner_caller
from gateway.classroom.session_qr import join_url, qr_png
from gateway.classroom.sessions_schemas import (
    BroadcastBodySchema,
    BroadcastResultSchema,
    MySessionListSchema,
    NextStepBodySchema,
    SessionControlSchema,
    SessionCreateSchema,
    SessionListSchema,
    SessionSchema,
)
from gateway.platform.blueprint import Blueprint
from gateway.platform.errors import Unauthenticated
from gateway.platform.http import require_json_bodies
from gateway.platform.idempotency_api import IDEMPOTENCY_PARAMETER, idempotent

blp = Blueprint(
    "class_sessions",
    __name__,
    url_prefix="/api",
    description="Classroom: live sessions. An instructor opens one for a lecture; learners join by its code or QR; "
    "the instructor moves everyone step by step. Statuses WAITING -> IN_PROGRESS <-> PAUSED -> ENDED, and "
    "REVIEW_MODE after the end (POST .../review). Every change is published as a numbered session event.",
)
require_json_bodies(blp)


class SessionCodeConverter(UnicodeConverter):
    """`<code:code>`: a session code, never one of the routes beside it (join, my-active, instructor-active)."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, *args, **kwargs)
        self.regex = r"(?!(?:join|my-active|instructor-active)\Z)" + self.regex


blp.record_once(lambda state: state.app.url_map.converters.setdefault("code", SessionCodeConverter))
NOT_YOURS = "No such session among yours (another instructor's is 404 too)"


@blp.route("/lectures/<id:lecture_id>/sessions")
class LectureSessions(MethodView):
    @authenticated(blp, role="instructor")
    @blp.arguments(SessionCreateSchema())
    @blp.response(201, SessionSchema, headers={"Location": {"description": "The session's current state"}})
    @blp.alt_response(403, description="The caller is no instructor")
    @blp.alt_response(404, description="No such lecture among yours")
    @blp.alt_response(422, description="A title too long, a date without a time zone")
    def post(self, body, lecture_id: str):
        """Open a live session of your lecture: WAITING, with a join code and a QR code"""
        uow = blp.deps.db.uow()
        view = sessions.create_session(uow, principal().user_id, lecture_id, body["title"], body["scheduled_at"])
        return view, 201, {"Location": f"/api/sessions/{view['id']}/current"}


@blp.route("/sessions/instructor-active")
class InstructorActive(MethodView):
    @authenticated(blp)
    @blp.response(200, SessionListSchema)
    def get(self):
        """Your sessions that have not ended (WAITING, IN_PROGRESS, PAUSED), newest first"""
        items = sessions.instructor_active(blp.deps.db.uow(), principal().user_id)
        return {"active_sessions": items, "count": len(items)}


@blp.route("/sessions/my-active")
class MyActive(MethodView):
    @authenticated(blp)
    @blp.response(200, MySessionListSchema)
    def get(self):
        """The sessions you joined that have not ended, newest join first (empty when none)"""
        items = sessions.my_active(blp.deps.db.uow(), principal().user_id)
        return {"active_sessions": items, "count": len(items)}


@blp.route("/sessions/<code:code>")
class SessionByCode(MethodView):
    @learner_auth(blp)
    @code_guesses.counted(blp, learner_caller)
    @blp.response(200, SessionSchema)
    @blp.alt_response(404, description="No session has this code")
    def get(self, code: str):
        """A session by its join code (signed in, or with that session's participant token)"""
        caller = learner_caller(blp.deps)
        view = sessions.session_by_code(blp.deps.db.uow(), code)
        if isinstance(caller, ParticipantClaims) and caller.session_id != view["id"]:
            raise Unauthenticated("This participant token is for another session.")
        return view


@blp.route("/sessions/<code:code>/qr.png")
class SessionQr(MethodView):
    @code_guesses.counted(blp)
    @blp.response(200, description="A QR code of the join URL with the code", content_type="image/png")
    @blp.alt_response(404, description="No session has this code")
    def get(self, code: str):
        """The session's QR code (PNG): it opens CLASSROOM_JOIN_URL?code=<code>; anyone who has the code may get it"""
        view = sessions.session_by_code(blp.deps.db.uow(), code)
        png = qr_png(join_url(blp.deps.settings.classroom_join_url, view["code"]))
        return Response(png, mimetype="image/png", headers={"Cache-Control": "public, max-age=3600"})


CONTROLS = {
    "start": ("Start the session: IN_PROGRESS, on the lecture's first step", "WAITING only"),
    "pause": ("Pause the session", "IN_PROGRESS only"),
    "resume": ("Resume a paused session", "PAUSED only"),
    "end": ("End the session: no one joins or reports any more", "not ENDED already"),
    "review": ("Open an ended session for review: learners go through the steps at their own pace", "ENDED only"),
}


def _control_view(action: str, summary: str, allowed: str) -> type[MethodView]:
    @authenticated(blp)
    @idempotent(blp)
    @blp.arguments(SessionControlSchema())
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(200, SessionSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    @blp.alt_response(409, description=f"Not allowed in the session's status ({allowed}); nothing changed")
    def post(self, body, session_id: str):
        uow = blp.deps.db.uow()
        return sessions.control(uow, principal().user_id, session_id, action, body["message"])

    post.__doc__ = summary
    return type(f"Session{action.title()}", (MethodView,), {"post": post})


for _action, (_summary, _allowed) in CONTROLS.items():
    blp.route(f"/sessions/<id:session_id>/{_action}")(_control_view(_action, _summary, _allowed))


@blp.route("/sessions/<id:session_id>/next-step")
class SessionNextStep(MethodView):
    @authenticated(blp)
    @idempotent(blp)
    @blp.arguments(NextStepBodySchema())
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(200, SessionSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    @blp.alt_response(409, description="Not IN_PROGRESS, past the last step, or a lecture without steps")
    @blp.alt_response(422, description="`subtask_id` is no step of the session's lecture")
    def post(self, body, session_id: str):
        """Move everyone to the next step (or to `subtask_id`)

        Send an Idempotency-Key: a retried next-step must not skip a step.
        """
        uow = blp.deps.db.uow()
        return sessions.control(uow, principal().user_id, session_id, "next-step", body["message"], body["subtask_id"])


@blp.route("/sessions/<id:session_id>/broadcast")
class SessionBroadcast(MethodView):
    @authenticated(blp)
    @blp.arguments(BroadcastBodySchema())
    @blp.response(200, BroadcastResultSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    @blp.alt_response(409, description="The session has ended")
    @blp.alt_response(422, description="A blank message or one over 500 characters")
    def post(self, body, session_id: str):
        """Send a message to everyone in the session (an instructor_message event)"""
        caller = principal()
        sender = sessions.sender_name(blp.deps.db.uow(), caller.user_id)
        return sessions.broadcast(blp.deps.db.uow(), caller.user_id, sender, session_id, body["message"])
