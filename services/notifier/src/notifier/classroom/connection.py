"""One classroom socket after its upgrade: the client's messages in, the session's events and the replies out.

One writer (this task) sends everything in queue order: the join's greeting, the state or the missed events,
live events, and the replies to the client's messages, which a reader task puts in the same queue. Actions
run in the background (a few at a time per socket), so a slow gateway never holds up events or heartbeats.
"""

import asyncio
import contextlib
import logging
import time

from aiohttp import WSMsgType, web
from redis.exceptions import RedisError

from notifier.classroom import actions, protocol
from notifier.classroom.fastsend import direct_writer
from notifier.classroom.log import Row
from notifier.classroom.protocol import BadMessage, ClientMessage, close_reason, error, reply
from notifier.classroom.watchers import DASHBOARD, TRY_AGAIN_CLOSE, Watcher
from notifier.realtime.auth import Principal

log = logging.getLogger(__name__)
TOKEN_EXPIRED_CLOSE = 4001  # reconnect with a fresh token and join with the last seq


class SocketConnection:
    def __init__(self, room, ws: web.WebSocketResponse, watcher: Watcher, principal: Principal, token: str, fallback):
        self._room = room
        self._ws = ws
        self._watcher = watcher
        self._principal = principal
        self._token = token
        self._fallback: Row | None = fallback
        self._actions: set[asyncio.Task] = set()
        self._present = False

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        if self._room.fast_paths:
            self._watcher.write_now = direct_writer(self._ws)
        reader = asyncio.create_task(self._read())
        reader.add_done_callback(lambda _: self._watcher.gone())
        expiry = loop.call_later(max(0.0, self._principal.expires_at - time.time()), self._expire)
        try:
            await self._write_until_closed()
        except (ConnectionError, RuntimeError):  # the client vanished while we wrote
            self._watcher.gone()
        finally:
            expiry.cancel()
            reader.cancel()
            for task in self._actions:
                task.cancel()
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self._leave(self._watcher.closed_reason is None)  # not ended by the server: the client left

    async def _write_until_closed(self) -> None:
        """Write what the queue holds until the socket closes; no task or timer per message (500 wake per event)."""
        watcher, ws = self._watcher, self._ws
        while (batch := await watcher.next_batch()) is not None:
            for text in batch:
                await ws.send_str(text)
            watcher.written()
        if watcher.closed_reason is not None:
            await ws.close(code=watcher.close_code, message=close_reason(watcher.closed_reason))

    def _expire(self) -> None:
        self._watcher.close(
            "token expired: reconnect with a fresh token and join with your last seq", TOKEN_EXPIRED_CLOSE
        )

    async def _read(self) -> None:
        async for message in self._ws:
            if message.type == WSMsgType.TEXT:
                await self._handle(message.data)
            elif message.type == WSMsgType.BINARY:
                self._watcher.say(error("malformed", "messages are JSON in text frames"))
            elif message.type == WSMsgType.ERROR:
                return

    async def _handle(self, text: str) -> None:
        try:
            message = protocol.parse(text)
            if message.type == "heartbeat":
                self._watcher.say(protocol.heartbeat_ack(message))
            elif message.type == "join":
                await self._join(message)
            else:
                self._act(message)
        except BadMessage as bad:
            self._watcher.say(error(bad.code, bad.detail, bad.reply_to))

    async def _join(self, message: ClientMessage) -> None:
        watcher, seat, hub = self._watcher, self._watcher.seat, self._room.hub
        if watcher.joined:
            raise BadMessage("already_joined", "this socket has joined; reconnect to start again", message.reply_to)

        def greet(resumed: bool) -> str:
            where = {"session_id": seat.session_id, "code": seat.code, "participant_id": seat.participant_id}
            return reply("join_confirmed", message.reply_to, role=seat.role, lecture_id=seat.lecture_id,
                         resumed=resumed, **where)  # fmt: skip

        try:
            if seat.role == DASHBOARD:
                await hub.join_lecture(watcher, protocol.last_seqs(message), greet)
            else:
                await hub.join_session(watcher, protocol.last_seq(message), self._fallback, greet)
        except RedisError as exc:
            log.warning("join of %s failed: %r", seat.session_id or seat.lecture_id, exc)
            watcher.close("the event store is unavailable; reconnect shortly", TRY_AGAIN_CLOSE)
            return
        if seat.participant_id:
            self._present = True
            self._spawn(self._room.presence.arrive(seat, watcher.id, self._token))

    def _act(self, message: ClientMessage) -> None:
        if self._watcher.seat.role == DASHBOARD:
            raise BadMessage("not_allowed", "a dashboard socket takes join and heartbeat only", message.reply_to)
        if len(self._actions) >= self._room.actions_in_flight:
            raise BadMessage("busy", "too many messages waiting for the gateway; send it again", message.reply_to)

        async def perform() -> None:
            self._watcher.say(await actions.perform(self._room.gateway, self._watcher.seat, self._token, message))

        self._spawn(perform())

    def _spawn(self, work) -> None:
        task = asyncio.ensure_future(work)
        self._actions.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task) -> None:
        self._actions.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("a socket's background work failed: %r", task.exception())

    async def _leave(self, client_ended: bool) -> None:
        """The learner's presence entry goes; the gateway hears of it only when the client ended the socket."""
        if self._present:
            seat = self._watcher.seat
            await self._room.presence.depart(seat, self._watcher.id, self._token if client_ended else None)
