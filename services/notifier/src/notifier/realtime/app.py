"""The push endpoints: `GET /api/events/stream` (SSE), `GET /ws/events` (WebSocket), `GET /healthz`.

Both push channels authenticate with the gateway's access token (the
`Authorization: Bearer` header, or `?access_token=` because browsers' EventSource
and WebSocket cannot set headers) before anything is streamed or upgraded, and
resume after the stream id a client last saw (`Last-Event-ID` or
`?last_event_id=`). A connection ends when its token expires; the client
reconnects with a fresh token and its last id, and misses nothing. A token
whose session was revoked (sign-out, a reused refresh token) or whose account
was closed is refused like an invalid one, and its open connections are closed
(SSE: `event: closed`; WebSocket: close code 4003); see revocations.py.
"""

import asyncio
import dataclasses
import json
import time

from aiohttp import WSMsgType, web
from redis.exceptions import RedisError

from notifier.classroom.sockets import Classroom
from notifier.classroom.sockets import add_routes as add_classroom_routes
from notifier.realtime.auth import InvalidToken, Principal, TokenVerifier
from notifier.realtime.hub import Connection, Hub
from notifier.realtime.problems import problem, problems_middleware, unauthorized
from notifier.realtime.revocations import Revocations, explain
from notifier.stream import is_stream_id

HUB = web.AppKey("hub", Hub)
CONFIG = web.AppKey("config", "PushConfig")
VERIFIER = web.AppKey("verifier", TokenVerifier)
REVOCATIONS = web.AppKey("revocations", Revocations)
SSE_HEADERS = {
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    "X-Accel-Buffering": "no",  # proxies must not buffer the stream
}
TOKEN_EXPIRED_CLOSE = 4001
UNAVAILABLE = "the event store (Redis) is unavailable; try again shortly"


@dataclasses.dataclass(frozen=True)
class PushConfig:
    heartbeat_seconds: float = 15.0
    cors_origins: tuple[str, ...] = ("*",)
    health: object = None  # callable -> dict of extra health facts


def create_app(
    hub: Hub, verifier: TokenVerifier, revocations: Revocations, config: PushConfig, classroom: Classroom | None = None
) -> web.Application:
    app = web.Application(middlewares=[problems_middleware, _cors_preflight])
    app[HUB], app[VERIFIER], app[REVOCATIONS], app[CONFIG] = hub, verifier, revocations, config
    if classroom is not None:
        add_classroom_routes(app, classroom)  # /ws/sessions/{code}, /ws/dashboard/lectures/{id}
    app.on_response_prepare.append(_cors_headers)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/api/events/stream", event_stream)
    app.router.add_get("/api/events/stream/", event_stream)
    app.router.add_get("/ws/events", websocket_events)
    return app


async def healthz(request: web.Request) -> web.Response:
    config = request.app[CONFIG]
    facts = config.health() if config.health else {}
    status = 200 if facts.get("broker", True) else 503
    body = {"status": "ok" if status == 200 else "degraded", "connections": request.app[HUB].connections, **facts}
    return web.json_response(body, status=status)


async def event_stream(request: web.Request) -> web.StreamResponse:
    """Server-Sent Events: `id:` is the stream id, `event:` the type, `data:` the event as JSON."""
    answer = await _authenticate(request)
    if isinstance(answer, web.Response):
        return answer
    principal, last_id = answer
    hub, heartbeat = request.app[HUB], request.app[CONFIG].heartbeat_seconds
    connection = await _open(request, principal, last_id)
    if isinstance(connection, web.Response):
        return connection
    try:
        response = web.StreamResponse(headers=SSE_HEADERS)
        await response.prepare(request)
        await response.write(f"retry: 3000\n: connected as {principal.user_id}\n\n".encode())
        while True:
            batch = await connection.next_batch(_wait(principal, heartbeat))
            if batch is None:
                reason = json.dumps({"reason": connection.closed_reason, "code": connection.close_code})
                await response.write(f"event: closed\ndata: {reason}\n\n".encode())
                break
            if batch:
                await response.write(b"".join(entry.sse for entry in batch))
            elif _expired(principal):
                await response.write(b'event: token_expired\ndata: {"reason": "reconnect with a fresh token"}\n\n')
                break
            else:
                await response.write(b": keep-alive\n\n")
        return response
    except (ConnectionResetError, ConnectionError):
        return response
    finally:
        hub.detach(connection)


async def websocket_events(request: web.Request) -> web.StreamResponse:
    """One JSON text message per event (with `stream_id`); the client's messages are ignored."""
    answer = await _authenticate(request)
    if isinstance(answer, web.Response):
        return answer
    principal, last_id = answer
    hub, heartbeat = request.app[HUB], request.app[CONFIG].heartbeat_seconds
    ws = web.WebSocketResponse(heartbeat=heartbeat, max_msg_size=4096)
    connection = await _open(request, principal, last_id)
    if isinstance(connection, web.Response):
        return connection
    try:
        await ws.prepare(request)
        reader = asyncio.create_task(_drain(ws))
        try:
            await _send_until_closed(ws, connection, principal, heartbeat, reader)
        finally:
            reader.cancel()
        return ws
    finally:
        hub.detach(connection)


async def _send_until_closed(ws, connection: Connection, principal: Principal, heartbeat: float, reader) -> None:
    while not reader.done():
        getter = asyncio.ensure_future(connection.next_batch(_wait(principal, heartbeat)))
        await asyncio.wait({getter, reader}, return_when=asyncio.FIRST_COMPLETED)
        if not getter.done():
            getter.cancel()
            return
        batch = getter.result()
        if batch is None:
            await ws.close(code=connection.close_code, message=(connection.closed_reason or "closed").encode()[:120])
            return
        for entry in batch:
            await ws.send_str(entry.ws)
        if not batch and _expired(principal):
            await ws.close(code=TOKEN_EXPIRED_CLOSE, message=b"token expired: reconnect with a fresh token")
            return


async def _drain(ws: web.WebSocketResponse) -> None:
    """Read (and drop) client messages so pings, pongs and the close handshake are processed."""
    async for message in ws:
        if message.type == WSMsgType.ERROR:
            return


async def _authenticate(request: web.Request) -> "tuple[Principal, str | None] | web.Response":
    """(the user, the id to resume after), or the 400/401 problem to answer instead."""
    header = request.headers.get("Authorization", "")
    scheme, _, credentials = header.partition(" ")
    token = credentials.strip() if scheme.lower() == "bearer" else request.query.get("access_token", "")
    try:
        principal = await request.app[VERIFIER].verify(token)
    except InvalidToken as exc:
        return unauthorized(str(exc))
    last_id = request.headers.get("Last-Event-ID") or request.query.get("last_event_id") or None
    if last_id is not None and not is_stream_id(last_id.strip()):
        return problem(400, "Last-Event-ID must be an id this stream sent (like 1700000000000-0)")
    return principal, last_id and last_id.strip()


async def _open(request: web.Request, principal: Principal, last_id: str | None) -> "Connection | web.Response":
    """The registered connection, or the 401 (revoked) / 503 to answer instead; nothing is sent yet.

    Registered first, checked second: a revocation that arrives in between closes the connection, or has
    already recorded the key that the check reads (revocations.py).
    """
    hub = request.app[HUB]
    try:
        connection = await hub.attach(principal.user_id, last_id, principal.session_id)
    except RedisError:
        return problem(503, UNAVAILABLE, headers={"Retry-After": "2"})
    try:
        reason = await request.app[REVOCATIONS].reason(principal)
    except RedisError:
        hub.detach(connection)
        return problem(503, UNAVAILABLE, headers={"Retry-After": "2"})
    except BaseException:
        hub.detach(connection)
        raise
    if reason:
        hub.detach(connection)
        return unauthorized(f"this access token has been revoked: {explain(reason)}")
    return connection


def _wait(principal: Principal, heartbeat: float) -> float:
    return max(0.0, min(heartbeat, principal.expires_at - time.time()))


def _expired(principal: Principal) -> bool:
    return time.time() >= principal.expires_at


@web.middleware
async def _cors_preflight(request: web.Request, handler):
    """Browsers on the app's origin may read the stream (tokens travel in headers or the query, not cookies)."""
    if request.method == "OPTIONS" and _allowed_origin(request):
        headers = {
            "Access-Control-Allow-Methods": "GET, OPTIONS",
            "Access-Control-Allow-Headers": "Authorization, Last-Event-ID, Cache-Control",
            "Access-Control-Max-Age": "600",
        }
        return web.Response(status=204, headers=headers)
    return await handler(request)


async def _cors_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Before any response's headers go out, streams included."""
    origin = _allowed_origin(request)
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"


def _allowed_origin(request: web.Request) -> str | None:
    origins = request.app[CONFIG].cors_origins
    origin = request.headers.get("Origin")
    if not origin:
        return None
    if "*" in origins:
        return "*"
    return origin if origin in origins else None
