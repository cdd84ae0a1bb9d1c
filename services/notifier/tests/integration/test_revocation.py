"""Revoked sessions and closed accounts on the real broker and Redis: streams cut, tokens refused, on every replica."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from notifier_clients import SseClient, WsClient, refused
from notifier_stack import declare_fresh, domain_event, publish, redis_client, running, settings_for

from notifier.realtime.revocations import REVOKED_CLOSE
from shared.messages import AccountClosed, SessionRevoked
from shared.revocations import RevocationKeys, record
from shared.testing import wait_until


def new_id() -> str:
    return str(uuid.uuid4())


def session_revoked(user_id: str, session_id: str, reason: str = "signed_out") -> SessionRevoked:
    now = datetime.now(UTC)
    return SessionRevoked(
        user_id=user_id,
        session_id=session_id,
        reason=reason,
        revoked_at=now.isoformat(),
        expires_at=(now + timedelta(minutes=15)).isoformat(),
    )


def account_closed(user_id: str) -> AccountClosed:
    now = datetime.now(UTC)
    return AccountClosed(
        user_id=user_id, closed_at=now.isoformat(), expires_at=(now + timedelta(minutes=15)).isoformat()
    )


def cut(client) -> bool:
    return client.closed_by_server in ("closed", str(REVOKED_CLOSE))


def refusal(push_loop, url: str, token: str, path: str, **headers) -> tuple[int, str, dict]:
    headers = {"Authorization": f"Bearer {token}", **headers}
    return push_loop.run(refused(push_loop.session, url + path, headers=headers))


def test_a_revoked_session_is_cut_on_sse_and_websocket_and_the_users_other_session_stays(
    notifier, amqp_url, push_loop, signing_key
):
    alice, signed_out, other = new_id(), new_id(), new_id()
    sse = SseClient(push_loop, notifier.url, signing_key.token(alice, sid=signed_out)).start()
    ws = WsClient(push_loop, notifier.url, signing_key.token(alice, sid=signed_out)).start()
    stays_sse = SseClient(push_loop, notifier.url, signing_key.token(alice, sid=other)).start()
    stays_ws = WsClient(push_loop, notifier.url, signing_key.token(alice, sid=other)).start()

    publish(amqp_url, session_revoked(alice, signed_out))

    assert wait_until(lambda: cut(sse) and cut(ws), 10), (sse.closed_by_server, ws.closed_by_server)
    assert sse.closed_with == {"reason": "the session was signed out; sign in again", "code": REVOKED_CLOSE}
    assert ws.closed_by_server == str(REVOKED_CLOSE)
    later = domain_event(alice)
    publish(amqp_url, later)
    assert [e["id"] for e in stays_sse.wait_for(1)] == [later.id]
    assert [e["id"] for e in stays_ws.wait_for(1)] == [later.id]
    assert stays_sse.closed_by_server is None and stays_ws.closed_by_server is None
    assert sse.events == [] and ws.events == []


@pytest.mark.parametrize("path", ["/api/events/stream", "/ws/events"])
def test_a_revoked_sessions_token_gets_the_invalid_token_401_and_no_replay(
    notifier, amqp_url, push_loop, signing_key, path
):
    alice, signed_out = new_id(), new_id()
    token = signing_key.token(alice, sid=signed_out)
    first = SseClient(push_loop, notifier.url, token).start()
    missed = domain_event(alice)
    publish(amqp_url, missed)
    [seen] = first.wait_for(1)
    first.stop()

    publish(amqp_url, session_revoked(alice, signed_out, reason="refresh_token_reused"))
    assert wait_until(lambda: refusal(push_loop, notifier.url, token, path)[0] == 401, 10)

    # Resuming is refused too: the replay after Last-Event-ID never reaches a revoked session.
    status, content_type, body = refusal(push_loop, notifier.url, token, path, **{"Last-Event-ID": "0-0"})
    assert (status, content_type, body["type"]) == (401, "application/problem+json", "/problems/unauthorized")
    assert "revoked" in body["detail"] and "refresh token was used twice" in body["detail"]
    if path == "/ws/events":
        assert WsClient(push_loop, notifier.url, token, seen["stream_id"]).start().status == 401
    else:
        resumed = SseClient(push_loop, notifier.url, token, "0-0").start()
        assert resumed.status == 401 and resumed.events == []
    assert SseClient(push_loop, notifier.url, signing_key.token(alice, sid=new_id())).start().status == 200


def test_a_closed_account_loses_every_stream_and_every_token(notifier, amqp_url, push_loop, signing_key):
    alice, bob = new_id(), new_id()
    alices = [
        SseClient(push_loop, notifier.url, signing_key.token(alice, sid=new_id())).start(),
        WsClient(push_loop, notifier.url, signing_key.token(alice, sid=new_id())).start(),
        SseClient(push_loop, notifier.url, signing_key.token(alice, sid=new_id()), via_query=True).start(),
    ]
    bobs = SseClient(push_loop, notifier.url, signing_key.token(bob)).start()

    publish(amqp_url, account_closed(alice))

    assert wait_until(lambda: all(cut(client) for client in alices), 10), [c.closed_by_server for c in alices]
    assert alices[0].closed_with == {"reason": "the account was closed", "code": REVOKED_CLOSE}
    for path in ("/api/events/stream", "/ws/events"):  # any session of the account, even one never seen
        status, _, body = refusal(push_loop, notifier.url, signing_key.token(alice, sid=new_id()), path)
        assert status == 401 and "account was closed" in body["detail"]
    event = domain_event(bob)
    publish(amqp_url, event)
    assert [e["id"] for e in bobs.wait_for(1)] == [event.id] and bobs.closed_by_server is None


def test_every_replica_cuts_the_session(
    amqp_url, redis_prefix, gateway, notifier_webhook_secret, push_loop, signing_key
):
    declare_fresh(amqp_url)
    realtime = settings_for(
        amqp_url,
        redis_prefix,
        gateway.url,
        notifier_webhook_secret,
        notifier_roles=["realtime"],
        jwt_public_keys=[signing_key.public_pem],
    )
    alice, signed_out = new_id(), new_id()
    token = signing_key.token(alice, sid=signed_out)
    with running(realtime) as one, running(realtime) as two:
        clients = [SseClient(push_loop, one.url, token).start(), WsClient(push_loop, two.url, token).start()]
        publish(amqp_url, session_revoked(alice, signed_out))
        assert wait_until(lambda: all(cut(client) for client in clients), 10)
        for replica in (one, two):
            assert refusal(push_loop, replica.url, token, "/api/events/stream")[0] == 401


def test_a_replica_that_starts_after_the_revocation_refuses_the_token(
    amqp_url, redis_prefix, gateway, notifier_webhook_secret, push_loop, signing_key
):
    """No push replica was listening: the durable `notifier.events` copy recorded it."""
    declare_fresh(amqp_url)
    common = {"jwt_public_keys": [signing_key.public_pem]}
    appender = settings_for(amqp_url, redis_prefix, gateway.url, notifier_webhook_secret, notifier_roles=["email"])
    realtime = settings_for(
        amqp_url, redis_prefix, gateway.url, notifier_webhook_secret, notifier_roles=["realtime"], **common
    )
    alice, signed_out = new_id(), new_id()
    key = RevocationKeys(appender.notifier_redis_prefix).session(alice, signed_out)
    with running(appender):
        publish(amqp_url, session_revoked(alice, signed_out))
        assert wait_until(lambda: redis_client().get(key) == "signed_out", 10)
        assert 0 < redis_client().ttl(key) <= 15 * 60 + 60
    with running(realtime) as late:
        assert SseClient(push_loop, late.url, signing_key.token(alice, sid=signed_out)).start().status == 401
        assert SseClient(push_loop, late.url, signing_key.token(alice, sid=new_id())).start().status == 200


def test_a_key_the_gateway_wrote_refuses_at_once_before_any_message(settings, notifier, push_loop, signing_key):
    """A sign-out followed at once by a connect: the relay may not have published yet."""
    alice, signed_out = new_id(), new_id()
    record(redis_client(), RevocationKeys(settings.notifier_redis_prefix), [session_revoked(alice, signed_out)])
    for path in ("/api/events/stream", "/ws/events"):
        status, content_type, _ = refusal(push_loop, notifier.url, signing_key.token(alice, sid=signed_out), path)
        assert (status, content_type) == (401, "application/problem+json")


def test_the_sweep_cuts_a_connection_whose_message_this_replica_missed(
    amqp_url, redis_prefix, gateway, notifier_webhook_secret, push_loop, signing_key
):
    declare_fresh(amqp_url)
    settings = settings_for(
        amqp_url,
        redis_prefix,
        gateway.url,
        notifier_webhook_secret,
        notifier_roles=["realtime"],
        notifier_sweep_seconds=0.2,
        jwt_public_keys=[signing_key.public_pem],
    )
    alice, signed_out = new_id(), new_id()
    with running(settings) as notifier:
        client = WsClient(push_loop, notifier.url, signing_key.token(alice, sid=signed_out)).start()
        # Recorded (by the gateway, or another replica) while this one was away from the broker: no message here.
        record(redis_client(), RevocationKeys(settings.notifier_redis_prefix), [account_closed(alice)])
        assert wait_until(lambda: cut(client), 10), client.closed_by_server
