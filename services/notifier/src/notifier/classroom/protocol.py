"""The classroom socket's messages: what a client may send, and the replies and errors the server writes.

A client message is a JSON object `{"type": ..., "data": {...}, "id": ...}`; its fields may also sit beside
`type` (the original app sends both shapes). `id`, when given, comes back as `reply_to`. Anything else (not
JSON, not an object, an unknown type, a field of the wrong type) is answered with an `error` event and the
socket stays open. What an action means is checked by the gateway, not here.
"""

import dataclasses
import json
import re
from datetime import UTC, datetime
from typing import Any

CLIENT_TYPES = ("join", "heartbeat", "step_complete", "progress_update", "request_help")
ACTIONS = ("step_complete", "progress_update", "request_help")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
MAX_SEQ = 2**53 - 1  # what a JavaScript client can hold exactly
MAX_SESSIONS = 1000  # sessions a dashboard's join may name


class BadMessage(Exception):
    """A message the server cannot take: `code` says why (error events carry it), the text says what."""

    def __init__(self, code: str, detail: str, reply_to: str | None = None):
        super().__init__(detail)
        self.code, self.detail, self.reply_to = code, detail, reply_to


@dataclasses.dataclass(frozen=True)
class ClientMessage:
    type: str
    fields: dict[str, Any]
    reply_to: str | None = None


def parse(text: str) -> ClientMessage:
    """The client's message, or BadMessage."""
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        raise BadMessage("malformed", "the message is not JSON") from None
    if not isinstance(raw, dict):
        raise BadMessage("malformed", 'a message is a JSON object like {"type": "heartbeat"}')
    reply_to = raw.get("id")
    if reply_to is not None and (not isinstance(reply_to, str) or not REQUEST_ID.match(reply_to)):
        raise BadMessage("invalid", "`id` is up to 64 letters, digits or ._:- (it comes back as reply_to)")
    kind = raw.get("type")
    if kind not in CLIENT_TYPES:
        raise BadMessage("unknown_type", f"`type` is one of {', '.join(CLIENT_TYPES)}", reply_to)
    data = raw.get("data", {})
    if not isinstance(data, dict):
        raise BadMessage("invalid", "`data` is a JSON object", reply_to)
    fields = {k: v for k, v in raw.items() if k not in ("type", "data", "id")} | data
    return ClientMessage(kind, fields, reply_to)


def last_seq(message: ClientMessage) -> int | None:
    """A join's `last_seq`: the seq of the last event or state the client saw, or None for a fresh start."""
    value = message.fields.get("last_seq")
    if value is None:
        return None
    if not _is_seq(value):
        raise BadMessage("invalid", f"`last_seq` is a whole number from 0 to {MAX_SEQ}", message.reply_to)
    return value


def last_seqs(message: ClientMessage) -> dict[str, int]:
    """A dashboard join's `last_seqs`: {session id: last seq seen}."""
    value = message.fields.get("last_seqs") or {}
    valid = isinstance(value, dict) and len(value) <= MAX_SESSIONS
    if not valid or not all(isinstance(k, str) and len(k) <= 64 and _is_seq(v) for k, v in value.items()):
        raise BadMessage("invalid", "`last_seqs` maps session ids to whole numbers (the last seq seen)")
    return value


def reply(kind: str, reply_to: str | None = None, **fields) -> str:
    body = {"type": kind, **({"reply_to": reply_to} if reply_to else {}), **fields}
    return json.dumps(body, separators=(",", ":"), default=str)  # ASCII: an echoed lone surrogate stays writable


def error(code: str, detail: str, reply_to: str | None = None, **fields) -> str:
    """An `error` event: the socket stays open."""
    return reply("error", reply_to, code=code, detail=detail, **fields)


def heartbeat_ack(message: ClientMessage) -> str:
    timestamp = message.fields.get("timestamp")
    echoed = timestamp if isinstance(timestamp, int | float | str) and len(str(timestamp)) <= 64 else None
    return reply("heartbeat_ack", message.reply_to, timestamp=echoed, server_time=datetime.now(UTC).isoformat())


def close_reason(text: str | None) -> bytes:
    """A close frame's reason: at most 123 bytes, cut on a character boundary."""
    return (text or "closed").encode()[:120].decode(errors="ignore").encode()


def _is_seq(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_SEQ
