"""A learner's message over the socket is the HTTP call it stands for, made with the learner's own token.

The gateway checks it as it checks the call (who may, which step, which status) and records what it changes
as a session event, which comes back over the socket like any other. The client gets the gateway's answer
as `<message>_confirmed`, or its problem as an `error` event (`code` "refused", `status` and `problem`).
"""

import dataclasses
import re
from collections.abc import Callable
from typing import Any

from notifier.classroom.gateway import Answer, Gateway, GatewayUnavailable, segment
from notifier.classroom.protocol import ClientMessage, error, reply
from notifier.classroom.watchers import Seat

COMPLETED = frozenset({"completed", "complete", "done"})
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as an HTTP header value must be


@dataclasses.dataclass(frozen=True)
class Call:
    """The HTTP call a message stands for: POST `path` with `body` (and an Idempotency-Key, if one was given)."""

    path: str
    body: dict[str, Any]
    idempotency_key: Any = None  # as the client sent it; checked before the call


def _pick(fields: dict[str, Any], *names: str) -> dict[str, Any]:
    """The fields the HTTP call takes, as the client sent them (the gateway checks their types and values)."""
    return {name: fields[name] for name in names if name in fields}


def step_complete(seat: Seat, fields: dict[str, Any]) -> Call:
    """POST /api/sessions/{id}/report-completion {subtask_id}."""
    return Call(f"/api/sessions/{segment(seat.session_id)}/report-completion", _pick(fields, "subtask_id"))


def progress_update(seat: Seat, fields: dict[str, Any]) -> Call:
    """A step done is a completion; any other status is where the learner is: POST .../progress."""
    status = fields.get("status")
    if isinstance(status, str) and status.lower() in COMPLETED:
        return step_complete(seat, fields)
    return Call(f"/api/sessions/{segment(seat.session_id)}/progress", _pick(fields, "subtask_id", "status"))


def request_help(seat: Seat, fields: dict[str, Any]) -> Call:
    """POST /api/help/request for this session; a context's fields may also sit beside the others.

    `idempotency_key` goes as the call's Idempotency-Key, so a client that sends the request again after an
    `unavailable` error (the gateway may have taken it before the answer was lost) asks once.
    """
    body = _pick(fields, "subtask_id", "request_type", "context")
    context = _pick(fields, "recent_activity", "error_message", "screenshot_id")
    if context and "context" not in body:
        body["context"] = context
    return Call("/api/help/request", {"session_id": seat.session_id, **body}, fields.get("idempotency_key"))


CALLS: dict[str, Callable[[Seat, dict[str, Any]], Call]] = {
    "step_complete": step_complete,
    "progress_update": progress_update,
    "request_help": request_help,
}


async def perform(gateway: Gateway, seat: Seat, token: str, message: ClientMessage) -> str:
    """The reply to write: the gateway's answer, or the error it amounts to."""
    call = CALLS[message.type](seat, message.fields)
    key = call.idempotency_key
    if key is not None and not (isinstance(key, str) and IDEMPOTENCY_KEY.fullmatch(key)):
        return error("invalid", "`idempotency_key` is 1-255 visible ASCII characters", message.reply_to)
    try:
        answer: Answer = await gateway.post(call.path, token, call.body, call.idempotency_key)
    except GatewayUnavailable:
        detail = "the gateway did not answer; send it again (a request_help with an idempotency_key asks once)"
        return error("unavailable", detail, message.reply_to)
    if answer.ok:
        return reply(f"{message.type}_confirmed", message.reply_to, status=answer.status, data=answer.body)
    problem = answer.problem()
    detail = str(problem.get("detail") or problem.get("title") or f"the gateway answered {answer.status}")
    return error("refused", detail, message.reply_to, status=answer.status, problem=problem)
