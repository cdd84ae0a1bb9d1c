"""/api/recordings: record a run of an app as events (saved in batches while recording), stop it, read it back in
order, and have the llm-worker turn it into the steps taken and where the user hesitated."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.classroom import recordings_service as recordings
from gateway.classroom.recordings_rules import BATCH_MAX, EVENTS_MAX
from gateway.classroom.recordings_schemas import (
    EventPageArgs,
    EventsBatchIn,
    EventsSavedSchema,
    RecordingEventPageSchema,
    RecordingIn,
    RecordingListArgs,
    RecordingPageSchema,
    RecordingSchema,
)
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies
from gateway.platform.idempotency_api import IDEMPOTENCY_PARAMETER, idempotent

blp = Blueprint(
    "recordings",
    __name__,
    url_prefix="/api/recordings",
    description="Classroom: a recorded run of an app (RECORDING -> COMPLETED -> PROCESSING -> ANALYZED | FAILED). "
    "Save its events in batches while it records, each with its own time; stop it; ask for its analysis (202): the "
    "steps taken and where the user hesitated. Yours alone: anyone else's is a 404.",
)
require_json_bodies(blp)
LOCATION = {"Location": {"description": "The recording", "schema": {"type": "string"}}}
NOT_YOURS = "No such recording among yours"


def _page(items: list, total: int, args: dict) -> dict:
    page, size = args["page"], args["page_size"]
    return {"items": items, "page": page, "page_size": size, "total": total, "pages": -(-total // size)}


@blp.route("")
class Recordings(MethodView):
    @authenticated(blp)
    @blp.arguments(RecordingListArgs(), location="query")
    @blp.response(200, RecordingPageSchema)
    def get(self, args):
        """Your recordings, newest first (optionally in one status)"""
        uow = blp.deps.db.uow()
        items, total = recordings.list_recordings(
            uow, principal().user_id, args["page"], args["page_size"], args["status"]
        )
        return _page(items, total, args)

    @authenticated(blp)
    @idempotent(blp)
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.arguments(RecordingIn())
    @blp.response(201, RecordingSchema, headers=LOCATION, description="Recording from now")
    @blp.alt_response(404, description="No such lecture among those you teach or are enrolled in")
    @blp.alt_response(422, description="A missing or blank title, a field too long")
    def post(self, body):
        """Start a recording"""
        view = recordings.start_recording(blp.deps.db.uow(), principal().user_id, body)
        return view, 201, {"Location": f"/api/recordings/{view['id']}"}


@blp.route("/<id:recording_id>")
class RecordingById(MethodView):
    @authenticated(blp)
    @blp.response(200, RecordingSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    def get(self, recording_id: str):
        """A recording, and once analysed its steps and hesitations"""
        return recordings.get_recording(blp.deps.db.uow(), principal().user_id, recording_id)


@blp.route("/<id:recording_id>/stop")
class StopRecording(MethodView):
    @authenticated(blp)
    @blp.response(200, RecordingSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    @blp.alt_response(409, description="Not RECORDING (stopped already)")
    def post(self, recording_id: str):
        """Stop a recording (RECORDING -> COMPLETED)"""
        return recordings.stop_recording(blp.deps.db.uow(), principal().user_id, recording_id)


@blp.route("/<id:recording_id>/events")
class RecordingEvents(MethodView):
    @authenticated(blp)
    @blp.arguments(EventPageArgs(), location="query")
    @blp.response(200, RecordingEventPageSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    def get(self, args, recording_id: str):
        """A page of the recording's events, in the order recorded (each with its own timestamp)"""
        uow = blp.deps.db.uow()
        items, total = recordings.recording_events(
            uow, principal().user_id, recording_id, args["page"], args["page_size"]
        )
        return _page(items, total, args)


@blp.route("/<id:recording_id>/save-events-batch")
class SaveEventsBatch(MethodView):
    @authenticated(blp)
    @idempotent(blp)
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.arguments(EventsBatchIn())
    @blp.response(201, EventsSavedSchema, description="Saved, numbered after the recording's earlier events")
    @blp.alt_response(404, description=NOT_YOURS)
    @blp.alt_response(409, description=f"Not RECORDING, or the recording would pass {EVENTS_MAX} events")
    @blp.alt_response(413, description="A body larger than MAX_BODY_BYTES")
    @blp.alt_response(422, description=f"No events or more than {BATCH_MAX}, an event without a type or timestamp")
    def post(self, body, recording_id: str):
        """Save a batch of events while recording

        Each keeps its own timestamp; they are numbered in the order given,
        after the batches before. Send an Idempotency-Key to retry a batch
        safely.
        """
        return recordings.save_events(blp.deps.db.uow(), principal().user_id, recording_id, body["events"]), 201


@blp.route("/<id:recording_id>/analyze")
class AnalyzeRecording(MethodView):
    @authenticated(blp)
    @blp.response(202, RecordingSchema, headers=LOCATION, description="PROCESSING: the analysis is queued")
    @blp.alt_response(404, description=NOT_YOURS)
    @blp.alt_response(409, description="Not COMPLETED or FAILED (still recording, analysing or analysed), or no events")
    def post(self, recording_id: str):
        """Analyse a recording: the steps taken and where the user hesitated

        A stopped recording with events (or one whose analysis failed). You
        are notified when it is done; follow Location.
        """
        view = recordings.analyze_recording(blp.deps.db.uow(), principal().user_id, recording_id)
        return view, 202, {"Location": f"/api/recordings/{view['id']}"}
