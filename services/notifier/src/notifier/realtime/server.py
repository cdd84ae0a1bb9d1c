"""One real-time replica: the aiohttp server, its hubs (push, classroom), its broker feed and sweeps, on one loop."""

import asyncio
import contextlib
import logging

import aiohttp
import redis.asyncio as aioredis
from aiohttp import web

from notifier.classroom.gateway import Gateway
from notifier.classroom.hub import ClassroomHub
from notifier.classroom.log import LogKeys, SessionLog
from notifier.classroom.presence import Presence
from notifier.classroom.sockets import Classroom
from notifier.realtime.app import PushConfig, create_app
from notifier.realtime.auth import TokenVerifier
from notifier.realtime.broker import RealtimeFeed
from notifier.realtime.hub import Hub
from notifier.realtime.revocations import Revocations
from notifier.realtime.runner import PushRunner
from notifier.settings import NotifierSettings
from notifier.stream import AsyncEventStream, StreamKeys
from shared.amqp.connection import connection_parameters
from shared.messages import DomainEvent
from shared.messages.base import Message
from shared.messages.classroom import SessionEvent
from shared.revocations import RevocationKeys

log = logging.getLogger(__name__)
RESTART_CLOSE = 1012  # WebSocket "service restart": reconnect (to any replica) and join with the last seq


class RealtimeServer:
    """Serves SSE and WebSocket clients of this replica; start() and stop() on the loop that runs it."""

    def __init__(self, settings: NotifierSettings, bind: tuple[str, int] | None = None):
        self._settings = settings
        self._bind = bind or settings.bind
        self.port: int | None = None
        self.hub: Hub | None = None
        self.classroom: ClassroomHub | None = None
        self.revocations: Revocations | None = None
        self.feed: RealtimeFeed | None = None
        self._redis = None
        self._http: aiohttp.ClientSession | None = None
        self._gateway_http: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self._sweeper: asyncio.Task | None = None
        self._presence: Presence | None = None
        self._refresher: asyncio.Task | None = None

    async def start(self) -> None:
        s = self._settings
        # A bounded pool: a burst of wake-ups waits for a connection instead of opening hundreds.
        pool = aioredis.BlockingConnectionPool.from_url(
            s.redis_url, decode_responses=True, max_connections=s.notifier_redis_connections, timeout=10
        )
        self._redis = aioredis.Redis(connection_pool=pool)
        keys = StreamKeys(s.notifier_redis_prefix, s.notifier_stream_maxlen, s.notifier_stream_window_seconds)
        self.hub = Hub(AsyncEventStream(self._redis, keys), s.notifier_client_queue)
        self.revocations = Revocations(self._redis, RevocationKeys(s.notifier_redis_prefix))
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5))
        verifier = TokenVerifier(
            s.jwt_issuer,
            s.jwt_audience,
            s.jwt_public_keys,
            s.jwks_url,
            self._fetch_jwks,
            s.notifier_jwks_min_refresh_seconds,
        )
        await verifier.refresh()
        config = PushConfig(s.notifier_heartbeat_seconds, tuple(s.notifier_cors_origins), self._health)
        self._runner = PushRunner(
            create_app(self.hub, verifier, self.revocations, config, self._classroom(verifier)),
            handler_cancellation=True,
            access_log=None,
            shutdown_timeout=5,
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._bind[0], self._bind[1], backlog=4096)
        await site.start()
        self.port = self._runner.addresses[0][1]
        params = connection_parameters(s.amqp_url, "notifier-realtime", s.amqp_heartbeat)
        loop = asyncio.get_running_loop()
        self.feed = RealtimeFeed(params, loop, self._on_message, self._sweep, s.notifier_realtime_prefetch)
        self.feed.start()
        self._sweeper = asyncio.create_task(self._sweep_forever())
        self._refresher = asyncio.create_task(self._refresh_presence_forever())
        log.info("push server listening on %s:%d", self._bind[0], self.port)

    def _classroom(self, verifier: TokenVerifier) -> Classroom:
        s = self._settings
        keys = LogKeys(s.notifier_redis_prefix, s.notifier_classroom_window, s.notifier_classroom_ttl_seconds)
        self.classroom = ClassroomHub(SessionLog(self._redis, keys), s.notifier_classroom_gap_seconds)
        # A class joining at once asks the gateway hundreds of seat checks: they wait their turn for one of a few
        # connections, and only the gateway's own answer is timed (never the wait for a connection).
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=5, sock_read=s.notifier_gateway_timeout_seconds)
        connector = aiohttp.TCPConnector(limit=s.notifier_gateway_connections)
        self._gateway_http = aiohttp.ClientSession(connector=connector, timeout=timeout)
        gateway = Gateway(self._gateway_http, s.gateway_url)
        prefix, ttl = s.notifier_redis_prefix, s.notifier_classroom_presence_seconds
        self._presence = Presence(self._redis, prefix, gateway, ttl)
        return Classroom(
            self.classroom,
            gateway,
            self._presence,
            verifier,
            self.revocations,
            s.notifier_heartbeat_seconds,
            s.notifier_classroom_max_message_bytes,
            s.notifier_client_queue,
            fast_paths=s.fast_paths,
        )

    async def stop(self) -> None:
        for task in (self._sweeper, self._refresher):
            if task:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self.feed:
            await asyncio.to_thread(self.feed.stop)
        if self.hub:
            self.hub.close_all("the server is shutting down; reconnect with Last-Event-ID")
        if self.classroom:
            self.classroom.close_all("the server is restarting; reconnect and join with your last seq", RESTART_CLOSE)
        if self._runner:
            await self._runner.cleanup()
        for session in (self._http, self._gateway_http):
            if session:
                await session.close()
        if self._redis:
            await self._redis.aclose()

    async def _fetch_jwks(self, url: str) -> dict:
        async with self._http.get(url) as response:
            response.raise_for_status()
            return await response.json(content_type=None)

    async def _on_message(self, message: Message) -> None:
        if isinstance(message, DomainEvent):
            await self.hub.publish(message)
        elif isinstance(message, SessionEvent):
            await self.classroom.publish(message)
        else:
            await self.revocations.apply(self.hub, message)
            await self.revocations.apply(self.classroom, message)

    async def _sweep(self) -> None:
        """Revocations first (a revoked connection is not sent what it missed), then every user's stream."""
        try:
            await self.revocations.sweep(self.hub)
            await self.revocations.sweep(self.classroom)
        except Exception as exc:  # noqa: BLE001 - Redis away: the stream sweep fails the same way and logs
            log.warning("revocation sweep failed: %r", exc)
        await self.hub.sweep()
        await self.classroom.sweep()

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self._settings.notifier_sweep_seconds)
            await self._sweep()

    async def _refresh_presence_forever(self) -> None:
        while True:
            await asyncio.sleep(self._presence.ttl / 3)
            try:
                await self._presence.refresh([(w.seat, w.id) for w in self.classroom.learners()])
            except Exception as exc:  # noqa: BLE001 - Redis away: the entries live a while; try again
                log.warning("presence refresh failed: %r", exc)

    def _health(self) -> dict:
        connected = self.classroom.connections if self.classroom else 0
        return {"broker": bool(self.feed and self.feed.consuming.is_set()), "classroom_connections": connected}
