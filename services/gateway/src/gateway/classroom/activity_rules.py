"""Pure rules of activity logs: what an event may hold, and the form it is published and stored in."""

import os
import re
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

import orjson

from gateway.platform.text import LINE, character_problem

BATCH_MAX = 500
EVENT_TYPE_MAX = 40
EVENT_TYPE = re.compile(r"\A[A-Za-z][A-Za-z0-9_]*\Z")
NAME_MAX = 255
TEXT_MAX = 2000
BOUNDS_MAX = 100
DEVICE_ID_MAX = 100
COORDINATE_MAX = 100_000
EXTRAS_MAX_BYTES = 8 * 1024
OLDEST = timedelta(days=30)  # an app offline for a while still sends what it kept
AHEAD = timedelta(minutes=5)  # a device clock a little fast
EXTRAS = ("event_data", "screen_info", "node_info", "parent_node_info")


def timestamp_problem(at: datetime, now: datetime) -> str | None:
    """Why an event's own time cannot be taken, or None."""
    if at > now + AHEAD:
        return "In the future (more than 5 minutes ahead of the server's clock)."
    if at < now - OLDEST:
        return "More than 30 days ago."
    return None


def extras_problem(event: dict) -> str | None:
    """The app's raw objects are kept as they came, up to a bound."""
    extras = {name: event[name] for name in EXTRAS if event.get(name)}
    if extras and len(orjson.dumps(extras)) > EXTRAS_MAX_BYTES:
        return (
            f"event_data, screen_info, node_info and parent_node_info hold at most {EXTRAS_MAX_BYTES} bytes together."
        )
    return None


def new_event_id() -> uuid.UUID:
    """A time-ordered UUID (version 7, RFC 9562): new rows land at the end of activity_logs' unique index.

    Random ids (version 4) would scatter each insert across an index far larger than memory once the table grows.
    """
    millis = time.time_ns() // 1_000_000
    value = (millis & (2**48 - 1)) << 80 | int.from_bytes(os.urandom(10)) & (2**80 - 1)
    value = value & ~(0xF << 76) | 0x7 << 76  # version 7
    value = value & ~(0x3 << 62) | 0x2 << 62  # variant RFC 9562
    return uuid.UUID(int=value)


def published(event: dict, who: dict[str, Any], now: datetime) -> dict[str, Any]:
    """An accepted event as ActivityLogged carries it: ids as strings, the app's own names folded into ours."""
    sensitive = event["is_sensitive_data"]
    extras = {} if sensitive else {name: event[name] for name in EXTRAS if event.get(name)}
    if event.get("bounds"):
        extras["bounds"] = event["bounds"]
    if sensitive:
        extras["is_sensitive_data"] = True
    return {
        "event_id": str(event["event_id"]),
        "event_type": event["event_type"].upper(),
        "occurred_at": (event["timestamp"] or now).isoformat(),
        **who,
        "step_id": _text(event["subtask_id"]),
        "recording_id": _text(event["recording_id"]),
        "package": event["package"] or _from(event.get("event_data"), "package_name", "package"),
        "screen": event["screen"] or _from(event.get("screen_info"), "activity_name", "title"),
        "element": event["element"] or event["view_id_resource_name"],
        "text": None if sensitive else event["text"] or event["content_description"],
        "x": event["x"],
        "y": event["y"],
        "data": extras or None,
    }


def _text(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def _from(raw: dict | None, *keys: str) -> str | None:
    """A short string the app put in one of its objects under one of `keys` (what the original's apps sent)."""
    for key in keys:
        value = (raw or {}).get(key)
        if isinstance(value, str) and value and len(value) <= NAME_MAX and not character_problem(value, LINE):
            return value
    return None


ID_FIELDS = ("session_id", "participant_id", "user_id", "lecture_id", "step_id", "recording_id")
NAME_FIELDS = ("package", "screen", "element")


def stored_row(event: dict[str, Any], received_at: datetime) -> tuple:
    """An event of an ActivityLogged as a row of activity_logs (COPY's column order); ValueError if it cannot be one.

    The gateway wrote the message, but a stream takes anyone's publish: what the table cannot hold is refused here,
    one event at a time, instead of failing the whole batch's COPY.
    """
    ids = [_uuid(event.get(name)) for name in ID_FIELDS]
    event_type = event["event_type"]
    if not isinstance(event_type, str) or not EVENT_TYPE.match(event_type) or len(event_type) > EVENT_TYPE_MAX:
        raise ValueError(f"event_type {event_type!r}")
    names = [_short(event.get(name), NAME_MAX) for name in NAME_FIELDS]
    data = event.get("data")
    if data is not None and type(data) is not dict:
        raise ValueError("data is not an object")
    return (
        uuid.UUID(event["event_id"]),
        *ids,
        _short(event.get("device_id"), DEVICE_ID_MAX),
        event_type,
        _aware(event["occurred_at"]),
        received_at,
        *names,
        _short(event.get("text"), TEXT_MAX),
        _coordinate(event.get("x")),
        _coordinate(event.get("y")),
        data,
    )


def _uuid(value) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(value)


def _aware(value: str) -> datetime:
    at = datetime.fromisoformat(value)
    if at.tzinfo is None:
        raise ValueError(f"{value!r} has no offset")
    return at


def _short(value, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise ValueError(f"not a string of at most {limit} characters")
    return value


def _coordinate(value) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or abs(value) > COORDINATE_MAX:
        raise ValueError(f"coordinate {value!r}")
    return value
