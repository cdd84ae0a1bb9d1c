"""Who may open a classroom socket, asked of the gateway with the caller's own token; refusals as close codes.

`/ws/sessions/{code}`: the session's instructor (an access token), a learner who joined it (an access token),
or the holder of its participant token. `/ws/dashboard/lectures/{id}`: the lecture's instructor only. The
gateway answers as it does over HTTP (GET /api/sessions/{code}, GET /api/sessions/{id}/current, GET
/api/lectures/{id}); nothing is cached, so every replica decides alike.
"""

import json
from typing import Any

from notifier.classroom.gateway import Answer, Gateway, GatewayUnavailable, segment
from notifier.classroom.log import Row
from notifier.classroom.watchers import DASHBOARD, INSTRUCTOR, LEARNER, TRY_AGAIN_CLOSE, Seat
from notifier.realtime.auth import PARTICIPANT, Principal

# Close codes of a socket that is refused or ended by the server (docs: the socket protocol in the README).
UNAUTHORIZED_CLOSE = 4401  # no token, or one that is malformed, forged, expired, of another kind, or refused
FOREIGN_CLOSE = 4403  # a participant token of another session (or on a dashboard)
NOT_FOUND_CLOSE = 4404  # no such session or lecture among the caller's: unknown, not joined, not its instructor
CODE_MAX = 32


class Refused(Exception):
    """The socket is closed with `code` and `reason` before anything is sent."""

    def __init__(self, code: int, reason: str):
        super().__init__(reason)
        self.code, self.reason = code, reason


def normalise_code(raw: str) -> str:
    return "".join(raw.split()).replace("-", "").upper()


async def session_seat(gateway: Gateway, principal: Principal, token: str, code: str) -> tuple[Seat, Row]:
    """The caller's seat in the session `code`, and the session's state as the gateway gives it now."""
    if not code or len(code) > CODE_MAX:
        raise Refused(NOT_FOUND_CLOSE, "no session with this code")
    if principal.kind == PARTICIPANT:
        mine = await _ask(gateway.get(f"/api/sessions/{segment(principal.session_id)}/current", token), "session")
        if normalise_code(str(mine.get("code", ""))) != normalise_code(code):
            raise Refused(FOREIGN_CLOSE, "this participant token is for another session")
        return _seat(LEARNER, mine, participant_id=mine.get("participant_id")), fallback(mine)
    view = await _ask(gateway.get(f"/api/sessions/{segment(code)}", token), "session")
    ids = {"user_id": principal.user_id, "token_session": principal.session_id}
    if str(view.get("instructor", {}).get("id")) == principal.user_id:
        return _seat(INSTRUCTOR, view, **ids), fallback(view)
    mine = await _ask(
        gateway.get(f"/api/sessions/{segment(str(view['id']))}/current", token),
        "session",
        "you have not joined this session (POST /api/sessions/{id}/join first)",
    )
    return _seat(LEARNER, view, participant_id=mine.get("participant_id"), **ids), fallback(view)


async def dashboard_seat(gateway: Gateway, principal: Principal, token: str, lecture_id: str) -> Seat:
    """The lecture's instructor at its dashboard; anyone else is refused."""
    if principal.kind == PARTICIPANT:
        raise Refused(FOREIGN_CLOSE, "a participant token opens its own session's socket only")
    lecture = await _ask(gateway.get(f"/api/lectures/{segment(lecture_id)}", token), "lecture")
    instructor = lecture.get("instructor") or {}
    if str(instructor.get("id", lecture.get("instructor_id"))) != principal.user_id:
        raise Refused(NOT_FOUND_CLOSE, "no lecture with this id among yours")
    return Seat(DASHBOARD, str(lecture["id"]), user_id=principal.user_id, token_session=principal.session_id)


def fallback(view: dict[str, Any]) -> Row:
    """The session's state from the gateway's view of it, for a session whose events the log does not hold."""
    state = {
        "status": view.get("status"),
        "title": view.get("title"),
        "current_step": view.get("current_step"),
        "total_steps": view.get("total_steps"),
        "participants": view.get("participant_count"),
        "started_at": view.get("started_at"),
        "ended_at": view.get("ended_at"),
    }
    body = {
        "type": "state",
        "session_id": str(view["id"]),
        "code": view.get("code"),
        "lecture_id": str(view["lecture"]["id"]),
        "seq": int(view.get("event_seq") or 0),
        "state": state,
    }
    return Row(body["seq"], json.dumps(body, ensure_ascii=False, separators=(",", ":")))


def _seat(role: str, view: dict[str, Any], **who) -> Seat:
    return Seat(role, str(view["lecture"]["id"]), str(view["id"]), view.get("code"), **who)


async def _ask(call, what: str, not_found: str | None = None) -> dict[str, Any]:
    """The gateway's answer to `call` as a dict, or the refusal it amounts to."""
    try:
        answer: Answer = await call
    except GatewayUnavailable:
        raise Refused(TRY_AGAIN_CLOSE, "the gateway is unavailable; try again shortly") from None
    if answer.ok and isinstance(answer.body, dict):
        return answer.body
    if answer.status == 401:
        detail = answer.problem().get("detail") or "the gateway refused the token"
        raise Refused(UNAUTHORIZED_CLOSE, str(detail)[:100])
    if answer.status in (403, 404, 422):
        raise Refused(NOT_FOUND_CLOSE, not_found or f"no {what} with this id among yours")
    raise Refused(TRY_AGAIN_CLOSE, f"the gateway answered {answer.status}; try again shortly")
