"""Request and response shapes of a session's learners: joining, completions, the instructor's reads, screenshots."""

import marshmallow as ma
from flask_smorest.fields import Upload

from gateway.classroom import sessions_rules as rules
from gateway.classroom.sessions_schemas import (
    CODE,
    SESSION_ID,
    STEP_ID,
    LectureRefSchema,
    SessionSchema,
    SessionStepSchema,
)
from gateway.classroom.sessions_schemas import not_blank as _not_blank
from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.fields import Line

PARTICIPANT_ID = "2d7e9c40-6b1a-4f3e-8c5d-7a9b0e1f2c34"
STATUSES = ["WAITING", "ACTIVE", "COMPLETED", "DISCONNECTED"]


def _name(required: bool) -> Line:
    return Line(
        required=required,
        load_default=ma.missing if required else None,
        validate=[ma.validate.Length(min=1, max=rules.DISPLAY_NAME_MAX), _not_blank],
        metadata={"description": "The name the instructor sees", "example": "김영희"},
    )


class SessionJoinSchema(ma.Schema):
    display_name = _name(required=False)


class SessionJoinByCodeSchema(ma.Schema):
    code = Line(
        required=True,
        validate=ma.validate.Length(min=1, max=20),
        metadata={"description": "The session's code (case, spaces and dashes do not matter)", "example": CODE},
    )
    device_id = Line(
        required=True,
        validate=[ma.validate.Length(min=1, max=rules.DEVICE_ID_MAX), _not_blank],
        metadata={"description": "The app's stable id of this device", "example": "a3f9c2e1-android"},
    )
    display_name = _name(required=True)


class SessionJoinedSchema(FastDumpSchema):
    """The caller's place in the session."""

    participant_id = ma.fields.UUID(metadata={"example": PARTICIPANT_ID})
    my_status = ma.fields.String(metadata={"enum": STATUSES})
    display_name = ma.fields.String(metadata={"example": "김영희"})
    joined_at = ma.fields.DateTime()
    rejoined = ma.fields.Boolean(metadata={"description": "Joined before: the same participant as then"})
    session = ma.fields.Nested(SessionSchema)
    subtasks = ma.fields.List(
        ma.fields.Nested(SessionStepSchema), metadata={"description": "The lecture's steps in order"}
    )


class SessionJoinedByCodeSchema(SessionJoinedSchema):
    participant_token = ma.fields.String(
        metadata={"description": "Bearer token for this session's learner endpoints only (and its socket)"}
    )
    token_type = ma.fields.String(metadata={"example": "Bearer"})
    expires_in = ma.fields.Integer(metadata={"description": "Seconds", "example": 86400})


class StepCompletionSchema(ma.Schema):
    subtask_id = ma.fields.UUID(
        required=True, metadata={"description": "A step of the session's lecture", "example": STEP_ID}
    )


class StepCompletedSchema(FastDumpSchema):
    subtask_id = ma.fields.UUID(metadata={"example": STEP_ID})
    newly_completed = ma.fields.Boolean(metadata={"description": "False for a repeat: nothing changed"})
    completed_subtasks = ma.fields.List(ma.fields.String(), metadata={"example": [STEP_ID]})
    total_completed = ma.fields.Integer(metadata={"example": 1})
    total_steps = ma.fields.Integer(metadata={"example": 7})
    completed_all = ma.fields.Boolean()
    my_status = ma.fields.String(metadata={"enum": STATUSES})
    next_subtask = ma.fields.Nested(SessionStepSchema, allow_none=True, metadata={"description": "None after the last"})


class SessionCurrentSchema(SessionSchema):
    """The session now and, for a learner, where they are in it."""

    participant_id = ma.fields.UUID(allow_none=True, metadata={"example": PARTICIPANT_ID})
    my_status = ma.fields.String(allow_none=True, metadata={"enum": STATUSES})
    my_step = ma.fields.Nested(
        SessionStepSchema, allow_none=True, metadata={"description": "In review: the learner's own"}
    )
    completed_subtasks = ma.fields.List(ma.fields.String(), metadata={"example": [STEP_ID]})


class SessionParticipantSchema(FastDumpSchema):
    id = ma.fields.UUID(metadata={"example": PARTICIPANT_ID})
    user_id = ma.fields.UUID(allow_none=True)
    device_id = ma.fields.String(allow_none=True, metadata={"example": "a3f9c2e1-android"})
    display_name = ma.fields.String(metadata={"example": "김영희"})
    status = ma.fields.String(metadata={"enum": STATUSES})
    current_subtask_id = ma.fields.UUID(allow_none=True)
    completed_subtasks = ma.fields.List(ma.fields.String(), metadata={"example": [STEP_ID]})
    completed_count = ma.fields.Integer(metadata={"example": 1})
    progress_rate = ma.fields.Float(metadata={"description": "Percent of the lecture's steps", "example": 14.3})
    has_pending_help_request = ma.fields.Boolean()
    joined_at = ma.fields.DateTime()
    last_active_at = ma.fields.DateTime()
    completed_at = ma.fields.DateTime(allow_none=True)


class SessionParticipantListSchema(FastDumpSchema):
    session_id = ma.fields.UUID(metadata={"example": SESSION_ID})
    participants = ma.fields.List(ma.fields.Nested(SessionParticipantSchema))
    total_count = ma.fields.Integer(metadata={"example": 12})


class SessionCompletionStatusSchema(SessionParticipantListSchema):
    subtask_completion_stats = ma.fields.Dict(
        keys=ma.fields.String(), values=ma.fields.Integer(), metadata={"example": {STEP_ID: 9}}
    )


class SessionDifficultStepSchema(FastDumpSchema):
    subtask_id = ma.fields.UUID(metadata={"example": STEP_ID})
    title = ma.fields.String(metadata={"example": "사진 버튼 누르기"})
    help_request_count = ma.fields.Integer(metadata={"example": 4})


class SessionSummarySchema(FastDumpSchema):
    """A session at a glance, for its instructor."""

    id = ma.fields.UUID(metadata={"example": SESSION_ID})
    code = ma.fields.String(metadata={"example": CODE})
    title = ma.fields.String()
    status = ma.fields.String(metadata={"enum": list(rules.STATUSES)})
    lecture = ma.fields.Nested(LectureRefSchema)
    started_at = ma.fields.DateTime(allow_none=True)
    ended_at = ma.fields.DateTime(allow_none=True)
    duration_seconds = ma.fields.Integer(metadata={"example": 3120})
    total_participants = ma.fields.Integer(metadata={"example": 12})
    completed_participants = ma.fields.Integer(metadata={"example": 9})
    completion_rate = ma.fields.Float(metadata={"description": "Percent", "example": 75.0})
    average_progress = ma.fields.Float(metadata={"description": "Percent", "example": 88.1})
    total_steps = ma.fields.Integer(metadata={"example": 7})
    subtask_completion_stats = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    total_help_requests = ma.fields.Integer(metadata={"example": 5})
    resolved_help_requests = ma.fields.Integer(metadata={"example": 4})
    difficult_steps = ma.fields.List(ma.fields.Nested(SessionDifficultStepSchema))
    participants = ma.fields.List(ma.fields.Nested(SessionParticipantSchema))


class SessionScreenshotForm(ma.Schema):
    image = Upload(
        required=True,
        metadata={
            "description": "The learner's screen: a PNG or JPEG (recognised by decoding it); a clean copy is kept"
        },
    )


class SessionScreenshotSchema(FastDumpSchema):
    id = ma.fields.UUID()
    participant_id = ma.fields.UUID(metadata={"example": PARTICIPANT_ID})
    display_name = ma.fields.String(metadata={"example": "김영희"})
    step_id = ma.fields.UUID(allow_none=True, metadata={"description": "The learner's step when it was taken"})
    content_type = ma.fields.String(metadata={"example": "image/png"})
    image_url = ma.fields.String(metadata={"description": "Signed, good for 10 minutes"})
    captured_at = ma.fields.DateTime()


class SessionScreenshotListSchema(FastDumpSchema):
    session_id = ma.fields.UUID(metadata={"example": SESSION_ID})
    items = ma.fields.List(
        ma.fields.Nested(SessionScreenshotSchema), metadata={"description": "Each participant's latest"}
    )
