"""Every revocation reaches the push server: a SessionRevoked on the outbox with it, and its Redis key at once."""

import json

import psycopg
import pytest
import redis

from gateway.app import create_app
from shared.revocations import RevocationKeys, ttl_seconds

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def dsn(database_url):
    return database_url.replace("postgresql+psycopg://", "postgresql://")


def claims(app, access_token: str) -> dict:
    return app.extensions["gateway"].tokens.verify(access_token, "access")


def outbox(dsn: str, message_type: str, user_id: str) -> list[tuple[str, dict]]:
    """(routing key, payload) of the outbox rows of `message_type` about `user_id`."""
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT routing_key, payload FROM outbox WHERE message_type = %s AND payload->>'user_id' = %s",
            (message_type, user_id),
        ).fetchall()
    return [(key, payload if isinstance(payload, dict) else json.loads(payload)) for key, payload in rows]


def push_key(settings, user_id: str, session_id: str) -> str | None:
    key = RevocationKeys(settings.notifier_redis_prefix).session(user_id, session_id)
    return redis.Redis.from_url(REDIS_URL, decode_responses=True).get(key)


def test_logout_puts_a_session_revoked_on_the_outbox_and_records_it_for_the_push_server(
    app, client, alice, dsn, gateway_settings
):
    sid = claims(app, alice.tokens["access_token"])["sid"]
    assert client.post("/api/auth/logout", headers=alice.headers).status_code == 204

    [(routing_key, payload)] = outbox(dsn, "SessionRevoked", alice.user["id"])
    assert routing_key == "session.revoked"
    assert {k: payload[k] for k in ("version", "user_id", "session_id", "reason")} == {
        "version": 1,
        "user_id": alice.user["id"],
        "session_id": sid,
        "reason": "signed_out",
    }
    # Remembered as long as any access token of the session can verify, not longer.
    assert 15 * 60 <= ttl_seconds(payload["expires_at"]) <= 15 * 60 + 60 + 5
    assert push_key(gateway_settings, alice.user["id"], sid) == "signed_out"


def test_a_reused_refresh_token_tells_the_push_server_too(app, client, alice, dsn, gateway_settings):
    sid = claims(app, alice.tokens["access_token"])["sid"]
    assert client.post("/api/auth/refresh", json={"refresh_token": alice.tokens["refresh_token"]}).status_code == 200
    reuse = client.post("/api/auth/refresh", json={"refresh_token": alice.tokens["refresh_token"]})
    assert reuse.status_code == 401

    [(_, payload)] = outbox(dsn, "SessionRevoked", alice.user["id"])
    assert (payload["session_id"], payload["reason"]) == (sid, "refresh_token_reused")
    assert push_key(gateway_settings, alice.user["id"], sid) == "refresh_token_reused"


def test_only_the_signed_out_session_is_revoked(app, client, accounts, alice, dsn, gateway_settings):
    other = accounts.login(alice.user["username"])
    client.post("/api/auth/logout", headers=alice.headers)
    signed_out, other_sid = (claims(app, t["access_token"])["sid"] for t in (alice.tokens, other))
    assert [p["session_id"] for _, p in outbox(dsn, "SessionRevoked", alice.user["id"])] == [signed_out]
    assert push_key(gateway_settings, alice.user["id"], other_sid) is None
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {other['access_token']}"})
    assert me.status_code == 200


def test_with_redis_down_logout_still_succeeds_and_the_outbox_carries_the_revocation(gateway_settings, accounts, dsn):
    """The Redis write is best effort; the outbox message is the one that is never lost."""
    down = create_app(gateway_settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})).test_client()
    user = accounts.sign_up()
    tokens = accounts.login(user["username"])
    response = down.post("/api/auth/logout", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 204
    assert [p["reason"] for _, p in outbox(dsn, "SessionRevoked", user["id"])] == ["signed_out"]


def test_an_api_key_cannot_log_out_and_nothing_is_published(client, alice, dsn):
    key = client.post("/api/api-keys", json={"name": "ci"}, headers=alice.headers).json["key"]
    refused = client.post("/api/auth/logout", headers={"Authorization": f"Bearer {key}"})
    assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    assert outbox(dsn, "SessionRevoked", alice.user["id"]) == []
