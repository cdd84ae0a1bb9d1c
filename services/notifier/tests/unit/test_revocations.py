"""Revocations on one replica, over fakes: which connections a revocation cuts, and a connect racing one."""

import asyncio
import json
from datetime import UTC, datetime, timedelta

import aiohttp
from aiohttp.test_utils import TestServer
from notifier_tokens import AUDIENCE, ISSUER, TokenMinter

from notifier.realtime.app import PushConfig, create_app
from notifier.realtime.auth import TokenVerifier
from notifier.realtime.hub import Hub
from notifier.realtime.revocations import REVOKED_CLOSE, Revocations
from notifier.stream import START
from shared.messages import AccountClosed, SessionRevoked
from shared.revocations import RevocationKeys

MINTER = TokenMinter()
UNTIL = (datetime.now(UTC) + timedelta(days=1)).isoformat()


class FakeRedis:
    """The redis.asyncio calls Revocations makes, over a dict."""

    def __init__(self):
        self.values: dict[str, str] = {}

    async def mget(self, *keys):
        return [self.values.get(key) for key in keys]

    async def set(self, key, value, ex=None):
        self.values[key] = value

    def pipeline(self, transaction=True):
        return FakePipeline(self)


class FakePipeline:
    def __init__(self, redis: FakeRedis):
        self._redis = redis
        self._reads: list[tuple[str, ...]] = []

    def mget(self, *keys):
        self._reads.append(keys)

    async def execute(self):
        return [[self._redis.values.get(key) for key in keys] for keys in self._reads]


class EmptyStream:
    """No events; `on_open` runs while a connection is being attached, before it is registered."""

    def __init__(self, on_open=None):
        self.on_open = on_open

    async def last_id(self, user_id: str) -> str:
        if self.on_open:
            await self.on_open()
        return START

    async def read_after(self, user_id: str, after: str) -> list:
        return []


def revoked(user_id: str, session_id: str) -> SessionRevoked:
    now = datetime.now(UTC).isoformat()
    return SessionRevoked(user_id=user_id, session_id=session_id, reason="signed_out", revoked_at=now, expires_at=UNTIL)


def closed(user_id: str) -> AccountClosed:
    return AccountClosed(user_id=user_id, closed_at=datetime.now(UTC).isoformat(), expires_at=UNTIL)


def test_a_session_revocation_cuts_that_sessions_connections_only():
    async def scenario():
        hub, revocations = Hub(EmptyStream()), Revocations(FakeRedis(), RevocationKeys("t"))
        out = await hub.attach("alice", None, "s1")
        out_too = await hub.attach("alice", None, "s1")
        stays = await hub.attach("alice", None, "s2")
        other_user = await hub.attach("bob", None, "s1")
        await revocations.apply(hub, revoked("alice", "s1"))
        return out, out_too, stays, other_user

    out, out_too, stays, other_user = asyncio.run(scenario())
    assert out.closed_reason == "the session was signed out; sign in again" and out.close_code == REVOKED_CLOSE
    assert out_too.close_code == REVOKED_CLOSE
    assert stays.closed_reason is None and other_user.closed_reason is None


def test_an_account_closure_cuts_every_connection_of_the_account():
    async def scenario():
        hub, revocations = Hub(EmptyStream()), Revocations(FakeRedis(), RevocationKeys("t"))
        alices = [await hub.attach("alice", None, sid) for sid in ("s1", "s2")]
        bobs = await hub.attach("bob", None, "s3")
        await revocations.apply(hub, closed("alice"))
        return alices, bobs

    alices, bobs = asyncio.run(scenario())
    assert [c.closed_reason for c in alices] == ["the account was closed"] * 2
    assert bobs.closed_reason is None


def test_the_sweep_cuts_what_redis_says_is_revoked():
    async def scenario():
        redis, keys = FakeRedis(), RevocationKeys("t")
        hub, revocations = Hub(EmptyStream()), Revocations(redis, keys)
        connections = {sid: await hub.attach(user, None, sid) for user, sid in (("a", "s1"), ("a", "s2"), ("b", "s3"))}
        redis.values[keys.session("a", "s1")] = "refresh_token_reused"
        redis.values[keys.account("b")] = "account_closed"
        await revocations.sweep(hub)
        return connections

    connections = asyncio.run(scenario())
    assert connections["s1"].close_code == REVOKED_CLOSE and "used twice" in connections["s1"].closed_reason
    assert connections["s2"].closed_reason is None
    assert connections["s3"].closed_reason == "the account was closed"


def test_a_revocation_that_lands_while_the_connection_opens_refuses_it():
    """The check runs after the connection is registered: a revocation in between is seen either way."""

    async def scenario():
        revocations, stream = Revocations(FakeRedis(), RevocationKeys("t")), EmptyStream()
        hub = Hub(stream)
        stream.on_open = lambda: revocations.apply(hub, revoked("alice", "s1"))
        verifier = TokenVerifier(ISSUER, AUDIENCE, [MINTER.public_pem])
        app = create_app(hub, verifier, revocations, PushConfig(heartbeat_seconds=0.2))
        headers = {"Authorization": f"Bearer {MINTER.token('alice', sid='s1')}"}
        async with TestServer(app) as server, aiohttp.ClientSession() as http:
            async with http.get(server.make_url("/api/events/stream"), headers=headers) as response:
                body = await response.text() if response.status != 200 else ""
                return response.status, response.content_type, body, hub.connections

    status, content_type, body, open_connections = asyncio.run(scenario())
    assert (status, content_type) == (401, "application/problem+json")
    assert "signed out" in json.loads(body)["detail"] and open_connections == 0
