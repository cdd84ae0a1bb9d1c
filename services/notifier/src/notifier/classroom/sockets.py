"""`/ws/sessions/{code}` and `/ws/dashboard/lectures/{id}`: authenticate, find the caller's seat, then serve.

The token (an access token, or for a session a participant token) comes as `?access_token=` or
`Authorization: Bearer`. It is checked, and the seat asked of the gateway, before anything is sent: a refusal
upgrades and closes at once with a close code (seats.py), so a browser learns why; never an anonymous socket.
A plain HTTP request is a 400 problem. The socket then runs in connection.py.
"""

import dataclasses

from aiohttp import web
from redis.exceptions import RedisError

from notifier.classroom.connection import SocketConnection
from notifier.classroom.gateway import Gateway
from notifier.classroom.hub import ClassroomHub
from notifier.classroom.presence import Presence
from notifier.classroom.protocol import close_reason
from notifier.classroom.seats import UNAUTHORIZED_CLOSE, Refused, dashboard_seat, session_seat
from notifier.classroom.watchers import TRY_AGAIN_CLOSE, Watcher
from notifier.realtime.auth import ACCESS, PARTICIPANT, InvalidToken, Principal, TokenVerifier
from notifier.realtime.problems import problem
from notifier.realtime.revocations import REVOKED_CLOSE, Revocations, explain


@dataclasses.dataclass(frozen=True)
class Classroom:
    """What the classroom sockets need, built once per replica (server.py)."""

    hub: ClassroomHub
    gateway: Gateway
    presence: Presence
    verifier: TokenVerifier
    revocations: Revocations
    heartbeat_seconds: float = 15.0
    max_message_bytes: int = 64 * 1024
    max_pending: int = 1000
    actions_in_flight: int = 4
    fast_paths: bool = True  # fastsend.py


CLASSROOM = web.AppKey("classroom", Classroom)


def add_routes(app: web.Application, classroom: Classroom) -> None:
    app[CLASSROOM] = classroom
    for path, handler in (("/ws/sessions/{code}", session_socket), ("/ws/dashboard/lectures/{id}", dashboard_socket)):
        app.router.add_get(path, handler)
        app.router.add_get(path + "/", handler)


async def session_socket(request: web.Request) -> web.StreamResponse:
    """A live session's socket: its learners and its instructor."""

    async def seat(room: Classroom, principal: Principal, token: str):
        return await session_seat(room.gateway, principal, token, request.match_info["code"])

    return await _serve(request, seat)


async def dashboard_socket(request: web.Request) -> web.StreamResponse:
    """A lecture's dashboard: every session of the lecture, for its instructor."""

    async def seat(room: Classroom, principal: Principal, token: str):
        return await dashboard_seat(room.gateway, principal, token, request.match_info["id"]), None

    return await _serve(request, seat)


async def _serve(request: web.Request, find_seat) -> web.StreamResponse:
    room = request.app[CLASSROOM]
    # No permessage-deflate: each event goes to hundreds of sockets, and compressing it once per socket costs more
    # CPU than its kilobyte saves.
    ws = web.WebSocketResponse(heartbeat=room.heartbeat_seconds, max_msg_size=room.max_message_bytes, compress=False)
    if not ws.can_prepare(request).ok:
        return problem(400, "This is a WebSocket endpoint: connect with `Upgrade: websocket`.")
    token = _token(request)
    try:
        principal = await room.verifier.verify(token, (ACCESS, PARTICIPANT))
        seat, fallback = await find_seat(room, principal, token)
    except InvalidToken as exc:
        return await refuse(ws, request, UNAUTHORIZED_CLOSE, str(exc))
    except Refused as refusal:
        return await refuse(ws, request, refusal.code, refusal.reason)
    watcher = Watcher(seat, room.max_pending)
    room.hub.register(watcher)  # first, then the revocation check: see realtime/revocations.py
    try:
        if principal.kind == ACCESS:
            try:
                reason = await room.revocations.reason(principal)
            except RedisError:
                return await refuse(ws, request, TRY_AGAIN_CLOSE, "the event store is unavailable; try again shortly")
            if reason:
                return await refuse(ws, request, REVOKED_CLOSE, f"this token has been revoked: {explain(reason)}")
        await ws.prepare(request)
        await SocketConnection(room, ws, watcher, principal, token, fallback).run()
        return ws
    finally:
        room.hub.detach(watcher)


async def refuse(ws: web.WebSocketResponse, request: web.Request, code: int, reason: str) -> web.WebSocketResponse:
    """Upgrade, then close at once with `code`: nothing else is sent."""
    await ws.prepare(request)
    await ws.close(code=code, message=close_reason(reason))
    return ws


def _token(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else request.query.get("access_token", "")
