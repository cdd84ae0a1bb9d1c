"""Request and response shapes of /api/logs: a learner's app reports what happened on its screen."""

from datetime import UTC, datetime

import marshmallow as ma

from gateway.classroom import activity_rules as rules
from gateway.classroom.sessions_schemas import SESSION_ID, STEP_ID
from gateway.fastpaths.dump import FastDumpSchema
from gateway.fastpaths.load import Fallback, compile_loader, run
from gateway.platform.fields import Flag, Line, Text

EVENT_ID = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
COORDINATE = ma.validate.Range(min=-rules.COORDINATE_MAX, max=rules.COORDINATE_MAX)
EXAMPLE_EVENT = {
    "event_type": "VIEW_CLICKED",
    "timestamp": "2025-05-20T10:03:27.412+09:00",
    "session": SESSION_ID,
    "subtask": STEP_ID,
    "package": "com.kakao.talk",
    "screen": "ChatRoomActivity",
    "element": "com.kakao.talk:id/send",
    "text": "전송",
    "x": 980,
    "y": 2210,
    "bounds": "[936,2170][1024,2250]",
}


def _line(limit: int, description: str, example: str | None = None) -> Line:
    metadata = {"description": description} | ({"example": example} if example else {})
    return Line(load_default=None, allow_none=True, validate=ma.validate.Length(max=limit), metadata=metadata)


def _json_object(description: str) -> ma.fields.Dict:
    return ma.fields.Dict(load_default=None, allow_none=True, metadata={"description": description})


class ActivityEventSchema(ma.Schema):
    """One thing that happened on the learner's screen (an Android accessibility event, as the original's apps send)."""

    event_id = ma.fields.UUID(
        load_default=None,
        metadata={"description": "Your own id for the event, so a batch sent again is stored once; default: a new one"},
    )
    event_type = Line(
        required=True,
        validate=[ma.validate.Length(min=1, max=rules.EVENT_TYPE_MAX), ma.validate.Regexp(rules.EVENT_TYPE)],
        metadata={
            "description": "CLICK, LONG_CLICK, SCROLL, TEXT_INPUT, SCREEN_CHANGE, FOCUS, SELECTION, WINDOW_CHANGE, "
            "VIEW_CLICKED, VIEW_FOCUSED, VIEW_TEXT_CHANGED, VIEW_SCROLLED, WINDOW_STATE_CHANGED, ... (letters, "
            "digits and _; stored upper case)",
            "example": "VIEW_CLICKED",
        },
    )
    timestamp = ma.fields.AwareDateTime(
        load_default=None,
        metadata={
            "description": "When it happened on the device (ISO 8601 with its offset): at most 30 days ago and "
            "5 minutes ahead of the server's clock; default: when the server received it",
            "example": "2025-05-20T10:03:27.412+09:00",
        },
    )
    session_id = ma.fields.UUID(
        load_default=None,
        data_key="session",
        metadata={"description": "The live session (default with a participant token: its session)"},
    )
    subtask_id = ma.fields.UUID(
        load_default=None, data_key="subtask", metadata={"description": "The step the learner is on (needs a session)"}
    )
    recording_id = ma.fields.UUID(
        load_default=None, data_key="recording_session", metadata={"description": "One of your own recordings"}
    )
    package = _line(rules.NAME_MAX, "The app's package", "com.kakao.talk")
    screen = _line(rules.NAME_MAX, "The screen (activity or window title)", "ChatRoomActivity")
    element = _line(rules.NAME_MAX, "The element's view id", "com.kakao.talk:id/send")
    view_id_resource_name = _line(rules.NAME_MAX, "The original apps' name for `element`")
    text = Text(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=rules.TEXT_MAX),
        metadata={"description": "The element's text (not kept when is_sensitive_data)", "example": "전송"},
    )
    content_description = Text(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=rules.TEXT_MAX),
        metadata={"description": "The original apps' name for `text`"},
    )
    x = ma.fields.Integer(load_default=None, allow_none=True, strict=True, validate=COORDINATE)
    y = ma.fields.Integer(load_default=None, allow_none=True, strict=True, validate=COORDINATE)
    bounds = _line(rules.BOUNDS_MAX, "The element's bounds, [left,top][right,bottom]", "[936,2170][1024,2250]")
    is_sensitive_data = Flag(
        load_default=False, metadata={"description": "A password field or the like: its text is not kept"}
    )
    event_data = _json_object("What else the app knows of the event (package_name, element_text, ...)")
    screen_info = _json_object("The screen (title, activity_name, ...)")
    node_info = _json_object("The element's accessibility node")
    parent_node_info = _json_object("Its parent's node")
    device_id = _line(rules.DEVICE_ID_MAX, "Sent by the original apps; the credentials decide who reported")

    @ma.validates("timestamp")
    def _recent(self, value: datetime | None, **_) -> None:
        problem = value and rules.timestamp_problem(value, datetime.now(UTC))
        if problem:
            raise ma.ValidationError(problem)

    @ma.validates_schema
    def _small_extras(self, data: dict, **_) -> None:
        problem = rules.extras_problem(data)
        if problem:
            raise ma.ValidationError(problem, "event_data")


class ActivityBatchSchema(ma.Schema):
    logs = ma.fields.List(
        ma.fields.Nested(ActivityEventSchema),
        required=True,
        validate=ma.validate.Length(min=1, max=rules.BATCH_MAX),
        metadata={
            "description": f"1 to {rules.BATCH_MAX} events, oldest first; one bad event refuses the whole batch",
            "example": [EXAMPLE_EVENT, {**EXAMPLE_EVENT, "event_type": "SCROLL", "x": 540, "y": 1600}],
        },
    )

    @ma.pre_load
    def _not_too_many(self, data, **_):
        """Refused before any event is read: a batch over the limit costs nothing to turn away."""
        logs = data.get("logs") if isinstance(data, dict) else None
        if isinstance(logs, list) and len(logs) > rules.BATCH_MAX:
            raise ma.ValidationError(f"At most {rules.BATCH_MAX} events per batch (got {len(logs)}).", "logs")
        return data

    def load(self, data, **kwargs):
        """A plainly well-formed batch through the compiled loader (a fast path), anything else through marshmallow.

        marshmallow took 9-13 ms of a 21 ms POST of 100 events; the compiled loader answers the same in about a
        tenth of that, or leaves the batch to marshmallow (gateway/fastpaths/README.md).
        """
        fast = None if kwargs else run(_fast_batch, data)
        return fast if fast is not None else super().load(data, **kwargs)


_FAST_EVENT = compile_loader(ActivityEventSchema(), allow_hooks=True)  # its hooks: mirrored in _fast_event


def _fast_batch(payload) -> dict:
    """ActivityBatchSchema's load of a batch in the plain form, or Fallback (its pre_load: the length check)."""
    if type(payload) is not dict or payload.keys() != {"logs"} or type(payload["logs"]) is not list:
        raise Fallback
    if not 1 <= len(payload["logs"]) <= rules.BATCH_MAX:
        raise Fallback
    now = datetime.now(UTC)
    return {"logs": [_fast_event(event, now) for event in payload["logs"]]}


def _fast_event(value, now: datetime) -> dict:
    """One event, with ActivityEventSchema's two checks that are hooks: the time window and the extras' size."""
    event = _FAST_EVENT(value)
    if event["timestamp"] is not None and rules.timestamp_problem(event["timestamp"], now):
        raise Fallback
    if rules.extras_problem(event):
        raise Fallback
    return event


class ActivityBatchQueuedSchema(FastDumpSchema):
    """The batch was accepted: its events are on their way to the store."""

    status = ma.fields.String(metadata={"example": "queued"})
    batch_id = ma.fields.UUID(metadata={"example": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"})
    queued_count = ma.fields.Integer(metadata={"example": 2})
    event_ids = ma.fields.List(
        ma.fields.UUID(), metadata={"description": "In the order sent", "example": [EVENT_ID, EVENT_ID]}
    )


class ActivityQueuedSchema(ActivityBatchQueuedSchema):
    event_id = ma.fields.UUID(metadata={"example": EVENT_ID})
