"""Request and response shapes of recordings: starting one, its events (each with its own time), the recording with
its analysis (the steps taken and where the user hesitated)."""

import json

import marshmallow as ma

from gateway.classroom import recordings_rules as rules
from gateway.classroom.models import WORK_STATUSES
from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.fields import INT32, Line, Text
from gateway.platform.http import PageArgs, PageSchema

RECORDING_ID = "7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9"
LECTURE_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
WHEN = {"example": "2026-03-01T09:30:00+00:00"}
EVENT_DATA_MAX_BYTES = 4096
EVENT_EXAMPLE = {
    "event_type": "VIEW_CLICKED",
    "timestamp": "2026-03-01T09:30:02.250+00:00",
    "package": "com.android.settings",
    "screen": "Settings",
    "element": "Network & internet",
    "text": "Network & internet",
    "x": 540,
    "y": 812,
    "data": {"view_id": "android:id/title", "bounds": "[0,780][1080,844]"},
}
ANALYSIS_EXAMPLE = {
    "summary": "3 steps over 14 seconds across 2 screens. The user hesitated once; the longest was 11.0 seconds on "
    "'Settings'.",
    "steps": [
        {
            "action": "NAVIGATE",
            "screen": "Home",
            "element": None,
            "started_at": "2026-03-01T09:30:00+00:00",
            "duration_ms": 1000,
        },
        {
            "action": "CLICK",
            "screen": "Home",
            "element": "Settings",
            "started_at": "2026-03-01T09:30:01+00:00",
            "duration_ms": 13000,
        },
    ],
    "hesitations": [
        {
            "at": "2026-03-01T09:30:02+00:00",
            "screen": "Settings",
            "waited_ms": 11000,
            "reason": "Paused 11.0 seconds before the next action.",
        },
    ],
}


def _small(value: dict) -> None:
    if len(json.dumps(value, ensure_ascii=False).encode()) > EVENT_DATA_MAX_BYTES:
        raise ma.ValidationError(f"At most {EVENT_DATA_MAX_BYTES} bytes as JSON.")


class RecordingIn(ma.Schema):
    title = Line(
        required=True, validate=ma.validate.Length(1, rules.TITLE_MAX), metadata={"example": "와이파이 켜는 법"}
    )
    description = Text(load_default="", validate=ma.validate.Length(max=rules.DESCRIPTION_MAX))
    lecture_id = ma.fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "A lecture you teach or are enrolled in", "example": LECTURE_ID},
    )

    @ma.validates("title")
    def _not_blank(self, value: str, **_):
        if not value.strip():
            raise ma.ValidationError("Must not be blank.")


class RecordingEventIn(ma.Schema):
    """One event as the device recorded it: its own time, where it happened, what it touched."""

    event_type = Line(required=True, validate=ma.validate.Length(1, 40), metadata={"example": "VIEW_CLICKED"})
    occurred_at = ma.fields.AwareDateTime(
        required=True, data_key="timestamp", metadata={"description": "When it happened on the device", **WHEN}
    )
    package = Line(load_default=None, allow_none=True, validate=ma.validate.Length(max=255))
    screen = Line(load_default=None, allow_none=True, validate=ma.validate.Length(max=255))
    element = Line(load_default=None, allow_none=True, validate=ma.validate.Length(max=255))
    text = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=2000))
    x = ma.fields.Integer(load_default=None, allow_none=True, strict=True, validate=INT32)
    y = ma.fields.Integer(load_default=None, allow_none=True, strict=True, validate=INT32)
    data = ma.fields.Dict(
        keys=Line(validate=ma.validate.Length(1, 64)),
        load_default=None,
        allow_none=True,
        validate=_small,
        metadata={"description": f"Anything else the app keeps (view id, bounds, ...): {EVENT_DATA_MAX_BYTES} bytes"},
    )


class EventsBatchIn(ma.Schema):
    events = ma.fields.List(
        ma.fields.Nested(RecordingEventIn),
        required=True,
        validate=ma.validate.Length(1, rules.BATCH_MAX),
        metadata={
            "description": f"1 to {rules.BATCH_MAX} events, in the order they happened",
            "example": [EVENT_EXAMPLE],
        },
    )


class RecordingFailureSchema(FastDumpSchema):
    reason = ma.fields.String(metadata={"example": "gave up after 4 attempts: timeout: the model did not answer"})
    code = ma.fields.String(allow_none=True, metadata={"example": "timeout"})


class RecordingSchema(FastDumpSchema):
    """A recording: where it is, how many events it holds, and once analysed its steps and hesitations."""

    id = ma.fields.UUID(metadata={"example": RECORDING_ID})
    title = ma.fields.String(metadata={"example": "와이파이 켜는 법"})
    description = ma.fields.String(metadata={"example": "설정 앱에서 와이파이 켜기"})
    lecture_id = ma.fields.UUID(allow_none=True, metadata={"example": LECTURE_ID})
    status = ma.fields.String(metadata={"enum": list(rules.STATUSES), "example": "ANALYZED"})
    analysis_status = ma.fields.String(
        allow_none=True,
        metadata={
            "enum": list(WORK_STATUSES),
            "description": "null until an analysis is asked for",
            "example": "completed",
        },
    )
    event_count = ma.fields.Integer(metadata={"example": 42})
    duration_seconds = ma.fields.Integer(allow_none=True, metadata={"description": "Once stopped", "example": 95})
    analysis = ma.fields.Dict(
        allow_none=True,
        metadata={"description": "Once ANALYZED: summary, steps, hesitations", "example": ANALYSIS_EXAMPLE},
    )
    error = ma.fields.Nested(RecordingFailureSchema, allow_none=True, metadata={"description": "When it failed"})
    started_at = ma.fields.DateTime(metadata=WHEN)
    stopped_at = ma.fields.DateTime(allow_none=True)
    analyzed_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime(metadata=WHEN)
    updated_at = ma.fields.DateTime(metadata=WHEN)


class RecordingPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(RecordingSchema))


class RecordingListArgs(PageArgs):
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(rules.STATUSES))


class EventPageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    page_size = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=rules.PAGE_MAX))


class RecordingEventSchema(FastDumpSchema):
    seq = ma.fields.Integer(metadata={"description": "1, 2, ...: the order the events were recorded in", "example": 1})
    event_type = ma.fields.String(metadata={"example": EVENT_EXAMPLE["event_type"]})
    timestamp = ma.fields.DateTime(attribute="occurred_at", metadata={"example": EVENT_EXAMPLE["timestamp"]})
    package = ma.fields.String(allow_none=True, metadata={"example": EVENT_EXAMPLE["package"]})
    screen = ma.fields.String(allow_none=True, metadata={"example": EVENT_EXAMPLE["screen"]})
    element = ma.fields.String(allow_none=True, metadata={"example": EVENT_EXAMPLE["element"]})
    text = ma.fields.String(allow_none=True, metadata={"example": EVENT_EXAMPLE["text"]})
    x = ma.fields.Integer(allow_none=True, metadata={"example": EVENT_EXAMPLE["x"]})
    y = ma.fields.Integer(allow_none=True, metadata={"example": EVENT_EXAMPLE["y"]})
    data = ma.fields.Dict(allow_none=True, metadata={"example": EVENT_EXAMPLE["data"]})


class RecordingEventPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(RecordingEventSchema))


class EventsSavedSchema(FastDumpSchema):
    saved_count = ma.fields.Integer(metadata={"example": 120})
    first_seq = ma.fields.Integer(metadata={"description": "The number the batch's first event got", "example": 1})
    recording = ma.fields.Nested(RecordingSchema)
