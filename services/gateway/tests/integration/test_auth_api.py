"""Sign-up, login, refresh rotation with reuse detection, logout, /me and roles, through the API."""

import threading
import uuid

import psycopg
import pytest

from gateway.accounts.tokens import ACCESS, TokenService
from gateway.app import create_app

PASSWORD = "correct horse battery staple"


def count_users(dsn: str, email: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT count(*) FROM users WHERE lower(email) = %s", (email.lower(),)).fetchone()[0]


@pytest.fixture
def dsn(database_url):
    return database_url.replace("postgresql+psycopg://", "postgresql://")


def test_sign_up_then_sign_in_then_me(client):
    body = {"email": "Mina.Kim@Example.com", "username": "mina_kim", "password": PASSWORD}
    created = client.post("/api/auth/signup", json=body)
    assert created.status_code == 201 and created.headers["Location"] == "/api/auth/me"
    user = created.json
    assert user["email"] == "mina.kim@example.com" and user["roles"] == ["user"] and "password" not in user
    for identifier in ({"email": "MINA.KIM@example.com"}, {"username": "Mina_Kim"}):
        tokens = client.post("/api/auth/login", json={**identifier, "password": PASSWORD}).json
        assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 900
        assert tokens["refresh_expires_in"] == 7 * 24 * 3600
        me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
        assert me.status_code == 200
        assert {k: me.json[k] for k in ("id", "email", "username", "roles", "created_at")} == {
            k: user[k] for k in ("id", "email", "username", "roles", "created_at")
        }


def test_register_is_an_alias_of_signup(client, dsn):
    name = f"reg{uuid.uuid4().hex[:8]}"
    response = client.post(
        "/api/auth/register", json={"email": f"{name}@x.org", "username": name, "password": PASSWORD}
    )
    assert response.status_code == 201 and count_users(dsn, f"{name}@x.org") == 1


def test_duplicates_are_409_whatever_the_case(client, alice, dsn):
    email, name = alice.user["email"], alice.user["username"]
    for body in (
        {"email": email.upper(), "username": f"x{uuid.uuid4().hex[:8]}", "password": PASSWORD},
        {"email": f"x{uuid.uuid4().hex[:8]}@x.org", "username": name.upper(), "password": PASSWORD},
    ):
        response = client.post("/api/auth/signup", json=body)
        assert response.status_code == 409 and response.content_type == "application/problem+json"
    assert count_users(dsn, email) == 1


@pytest.mark.parametrize(
    "body, pointer",
    [
        ({"username": "okname", "password": PASSWORD}, "/email"),
        ({"email": "a@b.org", "password": PASSWORD}, "/username"),
        ({"email": "a@b.org", "username": "okname"}, "/password"),
        ({"email": "not-an-email", "username": "okname", "password": PASSWORD}, "/email"),
        ({"email": 7, "username": "okname", "password": PASSWORD}, "/email"),
        ({"email": "a@b.org", "username": ["x"], "password": PASSWORD}, "/username"),
        ({"email": "a@b.org", "username": "okname", "password": "short"}, "/password"),
        ({"email": "a@b.org", "username": "okname", "password": "password123"}, "/password"),
        ({"email": "a@b.org", "username": "no spaces", "password": PASSWORD}, "/username"),
        ({"email": "a@b.org", "username": "okname", "password": PASSWORD, "role": "admin"}, "/role"),
    ],
)
def test_bad_sign_ups_are_422_and_create_nothing(client, dsn, body, pointer):
    response = client.post("/api/auth/signup", json=body)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert pointer in [e["pointer"] for e in response.json["errors"]]
    assert count_users(dsn, "a@b.org") == 0


def test_non_json_and_huge_bodies(client):
    assert client.post("/api/auth/login", data="username=x", content_type="text/plain").status_code == 415
    assert client.post("/api/auth/login", data="{oops", content_type="application/json").status_code == 400
    huge = client.post("/api/auth/signup", json={"email": "a@b.org", "username": "x", "password": "p" * 2_000_000})
    assert huge.status_code == 413 and huge.content_type == "application/problem+json"


def test_wrong_credentials_get_one_message_for_unknown_user_and_wrong_password(client, alice):
    wrong_password = client.post("/api/auth/login", json={"username": alice.user["username"], "password": "nope" * 3})
    unknown = client.post("/api/auth/login", json={"username": "nobody-at-all", "password": "nope" * 3})
    for response in (wrong_password, unknown):
        assert response.status_code == 401 and response.content_type == "application/problem+json"
        assert "invalid_token" not in response.headers["WWW-Authenticate"]
    assert wrong_password.json["detail"] == unknown.json["detail"]


@pytest.mark.parametrize("body", [{"password": PASSWORD}, {"email": "a@b.org", "username": "a", "password": PASSWORD}])
def test_login_needs_exactly_one_identifier(client, body):
    assert client.post("/api/auth/login", json=body).status_code == 422


def test_refresh_rotates_and_a_reused_token_revokes_the_whole_session(client, alice):
    first = alice.tokens
    second = client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200 and second.json["refresh_token"] != first["refresh_token"]
    third = client.post("/api/auth/refresh", json={"refresh_token": second.json["refresh_token"]}).json
    # The first refresh token, already used, comes back: stolen. Everything of the session dies.
    reuse = client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401 and "already used" in reuse.json["detail"]
    assert client.post("/api/auth/refresh", json={"refresh_token": third["refresh_token"]}).status_code == 401
    for access in (first["access_token"], third["access_token"]):
        me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {access}"})
        assert me.status_code == 401 and 'error="invalid_token"' in me.headers["WWW-Authenticate"]
    other_session = client.post("/api/auth/login", json={"username": alice.user["username"], "password": PASSWORD})
    assert other_session.status_code == 200  # the account itself is fine


def test_two_concurrent_refreshes_with_one_token_succeed_at_most_once(app, alice):
    answers = []

    def refresh():
        response = app.test_client().post("/api/auth/refresh", json={"refresh_token": alice.tokens["refresh_token"]})
        answers.append(response.status_code)

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers).count(200) <= 1 and answers.count(401) >= 3


def test_tokens_of_the_wrong_kind_are_refused(client, alice):
    refresh_as_access = {"Authorization": f"Bearer {alice.tokens['refresh_token']}"}
    assert client.get("/api/auth/me", headers=refresh_as_access).status_code == 401
    access_as_refresh = client.post("/api/auth/refresh", json={"refresh_token": alice.tokens["access_token"]})
    assert access_as_refresh.status_code == 401


def test_logout_revokes_the_access_token_and_the_session(client, alice):
    assert client.post("/api/auth/logout", headers=alice.headers).status_code == 204
    me = client.get("/api/auth/me", headers=alice.headers)
    assert me.status_code == 401 and "revoked" in me.json["detail"]
    assert client.post("/api/auth/refresh", json={"refresh_token": alice.tokens["refresh_token"]}).status_code == 401


def test_a_revocation_holds_in_every_worker(gateway_settings, alice, client):
    other_worker = create_app(gateway_settings).test_client()  # its own engine and pool, like a gunicorn worker
    assert other_worker.get("/api/auth/me", headers=alice.headers).status_code == 200
    client.post("/api/auth/logout", headers=alice.headers)
    assert other_worker.get("/api/auth/me", headers=alice.headers).status_code == 401


@pytest.mark.parametrize(
    "authorization",
    ["Bearer", "Bearer    ", "Basic dXNlcjpwYXNz", "Token abc", "Bearer not-a-token", "Bearer a.b.c", "Bearer ak_nope"],
)
def test_malformed_credentials_are_401_problems_with_a_challenge(client, authorization):
    response = client.get("/api/auth/me", headers={"Authorization": authorization})
    assert response.status_code == 401 and response.content_type == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="platform"')


def test_an_expired_access_token_is_401(client, gateway_settings, alice):
    expired = TokenService(
        gateway_settings.jwt_private_key, gateway_settings.jwt_issuer, gateway_settings.jwt_audience, -60, 60, leeway=0
    )
    token = expired.issue(ACCESS, uuid.UUID(alice.user["id"]), uuid.uuid4()).token
    response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and "expired" in response.json["detail"]


def test_upgrade_to_artist_is_idempotent_and_counts_before_the_next_refresh(client, alice):
    for _ in range(2):
        response = client.post("/api/users/me/upgrade-to-artist", headers=alice.headers)
        assert response.status_code == 200 and response.json["roles"] == ["user", "artist"]
    assert client.get("/api/auth/me", headers=alice.headers).json["roles"] == ["user", "artist"]
    refreshed = client.post("/api/auth/refresh", json={"refresh_token": alice.tokens["refresh_token"]}).json
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {refreshed['access_token']}"})
    assert me.json["roles"] == ["user", "artist"]


def test_jwks_serves_the_verifying_key(client):
    keys = client.get("/api/auth/jwks").json["keys"]
    assert keys and all("d" not in key for key in keys)
