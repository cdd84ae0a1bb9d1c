"""Bodies and answers of a learner's presence and progress (POST /api/sessions/{id}/presence, .../progress)."""

import marshmallow as ma

from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.fields import Flag, Line

PARTICIPANT_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
STEP_ID = "b3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
STATUSES = ["WAITING", "ACTIVE", "COMPLETED", "DISCONNECTED"]


class PresenceSchema(ma.Schema):
    connected = Flag(
        required=True,
        metadata={"description": "true: a socket of yours opened; false: your last one closed", "example": False},
    )


class PresenceAnswerSchema(FastDumpSchema):
    participant_id = ma.fields.UUID(metadata={"example": PARTICIPANT_ID})
    my_status = ma.fields.String(metadata={"enum": STATUSES, "example": "DISCONNECTED"})
    changed = ma.fields.Boolean(metadata={"description": "False when nothing changed (a repeat, or an ended session)"})


class ProgressSchema(ma.Schema):
    subtask_id = ma.fields.UUID(
        required=True, metadata={"description": "The step you are working on", "example": STEP_ID}
    )
    status = Line(
        load_default="in_progress",
        validate=ma.validate.OneOf(["in_progress"]),
        metadata={
            "description": "Where you are on the step (a step done: report-completion)",
            "example": "in_progress",
        },
    )


class ProgressAnswerSchema(FastDumpSchema):
    participant_id = ma.fields.UUID(metadata={"example": PARTICIPANT_ID})
    subtask_id = ma.fields.UUID(metadata={"example": STEP_ID})
    status = ma.fields.String(metadata={"example": "in_progress"})
    changed = ma.fields.Boolean(metadata={"description": "False for a repeat: nothing published"})
