"""/api/logs: a learner's app reports its activity (202 at once; the events are stored in batches from the stream)."""

import functools

from flask.views import MethodView

from gateway.accounts.guard import BEARER_AUTH
from gateway.classroom import activity_service as activity
from gateway.classroom.activity_schemas import (
    ActivityBatchQueuedSchema,
    ActivityBatchSchema,
    ActivityEventSchema,
    ActivityQueuedSchema,
)
from gateway.classroom.participants_auth import (
    PARTICIPANT_AUTH,
    learner_auth,
    learner_caller,
    session_participant,
    signed_in_user,
)
from gateway.platform.blueprint import Blueprint
from gateway.platform.errors import Unauthenticated
from gateway.platform.http import require_json_bodies

blp = Blueprint(
    "activity_logs",
    __name__,
    url_prefix="/api/logs",
    description="Classroom: a learner's app reports what happened on its screen (taps, scrolls, text, screens). "
    "Answered 202 at once; the events reach the classroom.activity stream through the outbox and are stored in "
    "batches, each once, for the instructor's statistics.",
)
require_json_bodies(blp)
BATCH_REFUSED = (
    "A missing, malformed or refused event (all or nothing), more than 500 events, or events of two sessions"
)
NOT_YOURS = "The session is not one you joined (its id is unknown to you)"


def _only(signed_in: bool):
    """Decorate a view (outermost, so 401 comes before body validation): an account's token, or a participant's."""
    scheme, other = (BEARER_AUTH, "a participant token") if signed_in else (PARTICIPANT_AUTH, "an account's token")
    where = "POST /api/logs/activity/anonymous" if signed_in else "POST /api/logs/activity"

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            learner_caller(blp.deps)
            if (signed_in_user(blp.deps) is not None) != signed_in:
                raise Unauthenticated(f"This endpoint does not take {other}: use {where} (or /api/logs/batch).")
            return view(*args, **kwargs)

        wrapper = blp.doc(security=[{scheme: []}])(wrapper)
        return blp.alt_response(401, description=f"Missing, invalid or expired credentials, or {other}")(wrapper)

    return decorator


def _queue(events: list[dict], pointer: str) -> activity.QueuedBatch:
    """Queue the events of the caller (checked by the view's decorator) as one batch."""
    d = blp.deps
    named = activity.session_named(events)
    user = signed_in_user(d)
    learner = session_participant(d, named) if named or user is None else None
    reporter = activity.Reporter.of(learner, None if user is None else user.user_id)
    return activity.accept(d.db.uow(), reporter, events, pointer)


def _answer(queued: activity.QueuedBatch) -> dict:
    return {
        "status": "queued",
        "batch_id": queued.batch_id,
        "queued_count": len(queued.event_ids),
        "event_ids": queued.event_ids,
    }


@blp.route("/activity")
class Activity(MethodView):
    @_only(signed_in=True)
    @blp.arguments(ActivityEventSchema())
    @blp.response(202, ActivityQueuedSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    @blp.alt_response(413, description="The body is larger than MAX_BODY_BYTES")
    @blp.alt_response(415, description="The body is not application/json")
    @blp.alt_response(422, description="A missing or malformed field, a step not of the session's lecture")
    def post(self, event):
        """Report one activity event, signed in

        Name the session you joined (`session`) to have it counted there;
        without one the event is yours alone. 202 at once with its `event_id`.
        """
        queued = _queue([event], "")
        return {**_answer(queued), "event_id": queued.event_ids[0]}, 202


@blp.route("/activity/anonymous")
class AnonymousActivity(MethodView):
    @_only(signed_in=False)
    @blp.arguments(ActivityEventSchema())
    @blp.response(202, ActivityQueuedSchema)
    @blp.alt_response(413, description="The body is larger than MAX_BODY_BYTES")
    @blp.alt_response(415, description="The body is not application/json")
    @blp.alt_response(422, description="A missing or malformed field, a step not of the session's lecture")
    def post(self, event):
        """Report one activity event with a participant token (a learner who joined by code)

        The event counts in the token's session; a `session` other than the
        token's is refused (401).
        """
        queued = _queue([event], "")
        return {**_answer(queued), "event_id": queued.event_ids[0]}, 202


@blp.route("/batch")
class Batch(MethodView):
    @learner_auth(blp)
    @blp.arguments(ActivityBatchSchema())
    @blp.response(202, ActivityBatchQueuedSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    @blp.alt_response(413, description="The body is larger than MAX_BODY_BYTES")
    @blp.alt_response(415, description="The body is not application/json")
    @blp.alt_response(422, description=BATCH_REFUSED)
    def post(self, body):
        """Report up to 500 activity events at once, signed in or with a participant token

        All or nothing: one refused event refuses the batch. Every accepted
        event gets an `event_id` (yours, if you sent one: a batch sent again
        is stored once). 202 at once; the events are stored within seconds.
        """
        queued = _queue(body["logs"], "logs")
        return _answer(queued), 202
