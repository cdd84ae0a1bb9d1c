"""DELETE /api/users/me: confirmed by the owner, every credential dies at once, the push server is told."""

import uuid

import psycopg
import pytest
import redis

from gateway.accounts import service as accounts_service
from gateway.accounts import sessions
from gateway.accounts.sessions import WRONG_CREDENTIALS
from gateway.app import create_app
from gateway.notifications import events
from gateway.platform.errors import Unauthenticated
from shared.revocations import RevocationKeys

PASSWORD = "correct horse battery staple"
PUBLIC_URL = "https://93.184.215.14/hooks"


@pytest.fixture
def dsn(database_url):
    return database_url.replace("postgresql+psycopg://", "postgresql://")


def sql(dsn: str, query: str, *params) -> list[tuple]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def close(client, headers: dict, body: dict | None = None):
    return client.delete("/api/users/me", json=body if body is not None else {"password": PASSWORD}, headers=headers)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def account_closed_messages(dsn: str, user_id: str) -> list[tuple]:
    return sql(
        dsn, "SELECT routing_key FROM outbox WHERE message_type = 'AccountClosed' AND payload->>'user_id' = %s", user_id
    )


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({}, 422, "password"),
        ({"password": ""}, 422, "password"),
        ({"password": "not the password at all"}, 403, "wrong"),
        ({"password": 12345}, 422, "password"),
    ],
    ids=["missing", "empty", "wrong", "not a string"],
)
def test_a_missing_or_wrong_password_is_a_problem_and_changes_nothing(client, alice, dsn, body, status, says):
    response = close(client, alice.headers, body)
    assert response.status_code == status and response.content_type == "application/problem+json"
    assert says in str(response.json).lower()
    assert client.get("/api/auth/me", headers=alice.headers).status_code == 200
    assert sql(dsn, "SELECT closed_at FROM users WHERE id = %s", alice.user["id"]) == [(None,)]
    assert account_closed_messages(dsn, alice.user["id"]) == []


def test_an_api_key_cannot_close_its_account(client, alice, dsn):
    key = client.post("/api/api-keys", json={"name": "ci"}, headers=alice.headers).json["key"]
    response = close(client, bearer(key))
    assert response.status_code == 403 and response.content_type == "application/problem+json"
    assert client.get("/api/auth/me", headers=alice.headers).status_code == 200


def test_without_credentials_it_is_a_401(client):
    response = client.delete("/api/users/me", json={"password": PASSWORD})
    assert response.status_code == 401 and response.content_type == "application/problem+json"


def test_closing_revokes_every_credential_and_erases_the_personal_data(client, accounts, alice, dsn, gateway_settings):
    other_session = accounts.login(alice.user["username"])
    key = client.post("/api/api-keys", json={"name": "ci"}, headers=alice.headers).json["key"]
    endpoint = client.post(
        "/api/webhook-endpoints", json={"url": PUBLIC_URL, "event_types": ["job.completed"]}, headers=alice.headers
    ).json
    job = client.post("/api/jobs", json={"text": "Sign in at the front desk."}, headers=alice.headers).json

    response = close(client, alice.headers)

    assert response.status_code == 204 and response.data == b""
    for credential in (alice.tokens["access_token"], other_session["access_token"], key):
        refused = client.get("/api/auth/me", headers=bearer(credential))
        assert refused.status_code == 401 and refused.content_type == "application/problem+json"
    for pair in (alice.tokens, other_session):
        assert client.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 401
    for identifier in ({"username": alice.user["username"]}, {"email": alice.user["email"]}):
        login = client.post("/api/auth/login", json={**identifier, "password": PASSWORD})
        assert login.status_code == 401 and login.json["detail"] == WRONG_CREDENTIALS
    [(email, username, password_hash, google_sub, closed_at)] = sql(
        dsn, "SELECT email, username, password_hash, google_sub, closed_at FROM users WHERE id = %s", alice.user["id"]
    )
    assert email.startswith("closed-") and email.endswith("@accounts.invalid") and username.startswith("closed-")
    assert (password_hash, google_sub) == (None, None) and closed_at is not None
    assert sql(dsn, "SELECT enabled FROM webhook_endpoints WHERE id = %s", endpoint["id"]) == [(False,)]
    # Kept: what the account did (others' records and the accounting refer to it).
    assert sql(dsn, "SELECT owner_id::text FROM jobs WHERE id = %s", job["event_id"]) == [(alice.user["id"],)]
    # The push server is told: on the outbox (never lost), and in its Redis at once.
    assert account_closed_messages(dsn, alice.user["id"]) == [("account.closed",)]
    key_name = RevocationKeys(gateway_settings.notifier_redis_prefix).account(alice.user["id"])
    assert redis.Redis.from_url(gateway_settings.redis_url, decode_responses=True).get(key_name) == "account_closed"
    # The address and the name are free again: whoever owns them may sign up anew.
    again = {"email": alice.user["email"], "username": alice.user["username"], "password": PASSWORD}
    assert client.post("/api/auth/signup", json=again).status_code == 201


def test_closing_twice_is_a_401_for_the_revoked_token(client, alice):
    assert close(client, alice.headers).status_code == 204
    assert close(client, alice.headers).status_code == 401


def test_a_sign_in_that_found_the_account_before_it_closed_gets_no_session(app, client, alice):
    """The race a lock settles: the account was read, then closed, then the session would start."""
    d = app.extensions["gateway"]
    user = accounts_service.find_for_login(d.db.uow(), alice.user["username"])
    assert close(client, alice.headers).status_code == 204
    with pytest.raises(Unauthenticated):
        sessions.start_session(d.db.uow(), d.tokens, user)


def test_an_event_of_a_closed_account_is_not_e_mailed(app, client, alice, dsn):
    assert close(client, alice.headers).status_code == 204
    with app.extensions["gateway"].db.uow() as session:
        events.publish_event(session, uuid.UUID(alice.user["id"]), "job.failed", {"reason": "late"}, "job-1")
        session.commit()
    [(email,)] = sql(
        dsn,
        "SELECT payload->>'email' FROM outbox WHERE message_type = 'DomainEvent' AND payload->>'user_id' = %s",
        alice.user["id"],
    )
    assert email is None


def test_a_google_only_account_closes_with_a_fresh_sign_in_only(app, client, accounts, dsn):
    user = accounts.sign_up()
    pair = accounts.login(user["username"])
    sql(dsn, "UPDATE users SET password_hash = NULL WHERE id = %s", user["id"])  # as if it signed in with Google
    sid = app.extensions["gateway"].tokens.verify(pair["access_token"], "access")["sid"]
    sql(dsn, "UPDATE refresh_tokens SET issued_at = now() - interval '10 minutes' WHERE family_id = %s", sid)

    stale = close(client, bearer(pair["access_token"]), {})
    assert stale.status_code == 403 and "sign in with Google again" in stale.json["detail"]

    sql(dsn, "UPDATE refresh_tokens SET issued_at = now() WHERE family_id = %s", sid)
    assert close(client, bearer(pair["access_token"]), {}).status_code == 204


def test_password_guesses_here_are_throttled(gateway_settings, redis_prefix, alice):
    settings = gateway_settings.model_copy(
        update={
            "rate_limit_prefix": f"{redis_prefix}:rl-{uuid.uuid4().hex[:8]}",
            "rate_limit_login_per_account": "3/minute",
        }
    )
    limited = create_app(settings).test_client()
    answers = [close(limited, alice.headers, {"password": f"guess number {i}"}).status_code for i in range(4)]
    assert answers == [403, 403, 403, 429]
    assert limited.get("/api/auth/me", headers=alice.headers).status_code == 200


def test_the_endpoint_is_documented(client):
    operation = client.get("/schema/").json["paths"]["/api/users/me"]["delete"]
    assert {"204", "401", "403", "422", "429"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]
    assert body["example"] == {"password": PASSWORD} and "Close your account" in operation["summary"]
