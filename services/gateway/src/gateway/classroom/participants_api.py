"""/api/sessions/...: joining a session, a learner's progress and screen, and what the instructor reads of them."""

from flask import request
from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.classroom import code_guesses, screenshots, session_reports
from gateway.classroom import participants_service as learners
from gateway.classroom.participants_auth import learner_auth, session_participant, signed_in_user
from gateway.classroom.participants_schemas import (
    SessionCompletionStatusSchema,
    SessionCurrentSchema,
    SessionJoinByCodeSchema,
    SessionJoinedByCodeSchema,
    SessionJoinedSchema,
    SessionJoinSchema,
    SessionParticipantListSchema,
    SessionScreenshotForm,
    SessionScreenshotListSchema,
    SessionScreenshotSchema,
    SessionSummarySchema,
    StepCompletedSchema,
    StepCompletionSchema,
)
from gateway.classroom.sessions_service import owned, session_view
from gateway.platform.blueprint import Blueprint
from gateway.platform.errors import NotFound
from gateway.platform.http import JSON_TYPES
from gateway.platform.problems import problem
from gateway.platform.uploads import MULTIPART, multipart_only

blp = Blueprint(
    "session_participants",
    __name__,
    url_prefix="/api/sessions",
    description="Classroom: a live session's learners. Join signed in, or by code without an account (a "
    "participant token good for that session's learner endpoints only); report steps done, send your screen; the "
    "instructor reads who is where.",
)
NOT_YOURS = "No such session among yours (another instructor's is 404 too)"
MULTIPART_SLACK = 64 * 1024


@blp.before_request
def _bodies():
    """Screenshots are multipart and may exceed MAX_BODY_BYTES; every other body is JSON."""
    if request.endpoint == "session_participants.Screenshots" and request.method == "POST":
        request.max_content_length = blp.deps.settings.screenshot_max_bytes + MULTIPART_SLACK
        return None
    has_body = request.method in ("POST", "PUT", "PATCH") and (request.content_length or request.data)
    if has_body and not (request.mimetype in JSON_TYPES or request.mimetype.endswith("+json")):
        return problem(415, f"Send the body as application/json (got '{request.mimetype or 'none'}').")
    return None


def _joined(joined, **token) -> dict:
    p = joined.participant
    return {
        "participant_id": p.id,
        "my_status": p.status,
        "display_name": p.display_name,
        "joined_at": p.joined_at,
        "rejoined": not joined.made,
        "session": joined.session,
        "subtasks": joined.steps,
        **token,
    }


@blp.route("/join")
class JoinByCode(MethodView):
    @code_guesses.counted(blp)
    @blp.arguments(SessionJoinByCodeSchema())
    @blp.response(201, SessionJoinedByCodeSchema, description="Joined for the first time")
    @blp.alt_response(
        200, schema=SessionJoinedByCodeSchema, description="Joined before on this device: the same participant"
    )
    @blp.alt_response(404, description="No session has this code")
    @blp.alt_response(409, description="The session has ended")
    @blp.alt_response(422, description="A missing or malformed code, device id or name")
    def post(self, body):
        """Join a session by its code without an account: a participant token for that session

        One participant per device however often it joins. The token (a
        day at most) opens this session's learner endpoints and its socket,
        nothing else.
        """
        d = blp.deps
        ttl = d.settings.participant_token_ttl_seconds
        joined, token = learners.join_by_code(
            d.db.uow(), d.tokens, ttl, body["code"], body["device_id"], body["display_name"]
        )
        answer = _joined(joined, participant_token=token.token, token_type="Bearer", expires_in=ttl)
        return answer, 201 if joined.made else 200


@blp.route("/<id:session_id>/join")
class Join(MethodView):
    @authenticated(blp)
    @blp.arguments(SessionJoinSchema())
    @blp.response(201, SessionJoinedSchema, description="Joined for the first time")
    @blp.alt_response(200, schema=SessionJoinedSchema, description="Joined before: the same participant")
    @blp.alt_response(404, description="No such session")
    @blp.alt_response(409, description="The session has ended")
    def post(self, body, session_id: str):
        """Join a session signed in (one participant per user however often)"""
        joined = learners.join_signed_in(blp.deps.db.uow(), principal().user_id, session_id, body["display_name"])
        return _joined(joined), 201 if joined.made else 200


@blp.route("/<id:session_id>/current")
class Current(MethodView):
    @learner_auth(blp)
    @blp.response(200, SessionCurrentSchema)
    @blp.alt_response(404, description="No such session among those you joined or teach")
    def get(self, session_id: str):
        """The session's current step with its guide text, and where you are in it"""
        d = blp.deps
        user = signed_in_user(d)
        try:
            return learners.current(d.db.uow(), session_participant(d, session_id))
        except NotFound:
            if user is None:
                raise
        session = owned(d.db.uow(), user.user_id, session_id)  # the instructor's own view
        return session_view(d.db.uow(), session.id) | {"completed_subtasks": []}


@blp.route("/<id:session_id>/report-completion")
class ReportCompletion(MethodView):
    @learner_auth(blp)
    @blp.arguments(StepCompletionSchema())
    @blp.response(200, StepCompletedSchema)
    @blp.alt_response(404, description="No such session among those you joined")
    @blp.alt_response(409, description="The session has not started or has ended")
    @blp.alt_response(422, description="No step of this session's lecture")
    def post(self, body, session_id: str):
        """Report a step done (once: a repeat changes nothing and says `newly_completed: false`)"""
        d = blp.deps
        return learners.report_completion(d.db.uow(), session_participant(d, session_id), body["subtask_id"])


@blp.route("/<id:session_id>/screenshots")
class Screenshots(MethodView):
    @learner_auth(blp)
    @multipart_only
    @blp.arguments(SessionScreenshotForm(), location="files", content_type=MULTIPART)
    @blp.response(201, SessionScreenshotSchema)
    @blp.alt_response(404, description="No such session among those you joined")
    @blp.alt_response(409, description="The session has ended")
    @blp.alt_response(413, description="Larger than SCREENSHOT_MAX_BYTES")
    @blp.alt_response(415, description="Not multipart/form-data")
    @blp.alt_response(422, description="No image, or not a PNG or JPEG that decodes")
    def post(self, form, session_id: str):
        """Send your screen as it is now; the instructor sees each learner's latest"""
        d = blp.deps
        learner = session_participant(d, session_id)
        upload = screenshots.Upload(form["image"].filename or "", form["image"].stream)
        return screenshots.upload_screenshot(d.db.uow(), d.store, learner, upload, d.settings.screenshot_max_bytes), 201

    @authenticated(blp)
    @blp.response(200, SessionScreenshotListSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    def get(self, session_id: str):
        """Each participant's latest screenshot, by signed URL (the session's instructor)"""
        d = blp.deps
        return screenshots.latest_screenshots(d.db.uow(), d.store, principal().user_id, session_id)


def _report_view(name: str, schema, read, summary: str) -> type[MethodView]:
    @authenticated(blp)
    @blp.response(200, schema)
    @blp.alt_response(404, description=NOT_YOURS)
    def get(self, session_id: str):
        return read(blp.deps.db.uow(), principal().user_id, session_id)

    get.__doc__ = summary
    return type(name, (MethodView,), {"get": get})


REPORTS = {
    "participants": (
        "Participants",
        SessionParticipantListSchema,
        session_reports.participants,
        "Who joined, and where they are",
    ),
    "completion-status": (
        "CompletionStatus",
        SessionCompletionStatusSchema,
        session_reports.completion_status,
        "Which steps each participant completed, and how many completed each step",
    ),
    "summary": (
        "Summary",
        SessionSummarySchema,
        session_reports.summary,
        "The session at a glance: time, completion, progress, help asked for, the hardest steps",
    ),
}
for _path, (_name, _schema, _read, _summary) in REPORTS.items():
    blp.route(f"/<id:session_id>/{_path}")(_report_view(_name, _schema, _read, _summary))
