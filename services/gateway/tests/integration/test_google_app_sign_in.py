"""Google sign-in run by a front end or a mobile app, against a real local OpenID Connect provider (oidc_standin).

The front end runs the redirect and posts the code as JSON to the callback; the mobile app posts the ID token
the provider gave it. Bad, replayed and foreign codes and tokens are refused with a 401 problem, and no account
is made or signed in.
"""

import base64
import json
import uuid

import psycopg
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey
from oidc_standin import CALLBACK, App, new_verifier, provider

from gateway.app import create_app

WEB = "platform-web"
ANDROID = "platform-android"
FRONT_END = "https://app.example.com/frontend/googleCallback"
OTHER_FRONT_END = "https://staging.example.com/frontend/googleCallback"
TOKEN = "/api/auth/google/token"


@pytest.fixture(scope="module")
def idp():
    with provider() as running:
        yield running


@pytest.fixture(scope="module")
def issuer(idp):
    return idp.issuer


@pytest.fixture(scope="module")
def app(gateway_settings, issuer):
    settings = {
        "google_client_id": WEB,
        "google_client_secret": "client-secret",
        "google_issuer": issuer,
        "secret_key": "test-secret-key-for-the-session-cookie",
        "google_allowed_redirect_uris": [FRONT_END, OTHER_FRONT_END],
        "google_mobile_client_ids": [ANDROID],
    }
    return create_app(gateway_settings.model_copy(update=settings))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def front_end(issuer):
    return App(issuer, WEB)


@pytest.fixture
def android(issuer):
    return App(issuer, ANDROID)


@pytest.fixture
def dsn(database_url):
    return database_url.replace("postgresql+psycopg://", "postgresql://")


def person(app: App) -> tuple[str, str]:
    """A new user at the provider, with a verified address: their `sub` and e-mail address."""
    tag = uuid.uuid4().hex[:12]
    sub, email = f"google-{tag}", f"g{tag}@example.com"
    app.person(sub, email=email, email_verified=True, name="Mina Kim")
    return sub, email


def accounts_of(dsn: str, email: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute("SELECT id, google_sub FROM users WHERE lower(email) = lower(%s)", (email,)).fetchall()


def me(client, pair: dict) -> dict:
    response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert response.status_code == 200, response.json
    return response.json


def refused(response, status: int = 401, says: str = "") -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert says in response.json["detail"]


# A front end posts the code


def test_a_front_ends_code_with_its_pkce_verifier_signs_in(client, front_end, dsn):
    sub, email = person(front_end)
    verifier = new_verifier()
    code = front_end.code(sub, FRONT_END, verifier, nonce="n-123")
    body = {"code": code, "redirect_uri": FRONT_END, "code_verifier": verifier, "nonce": "n-123"}
    response = client.post(CALLBACK, json=body)
    assert response.status_code == 200, response.json
    assert response.headers["Cache-Control"] == "no-store"
    assert me(client, response.json)["email"] == email
    assert [google_sub for _, google_sub in accounts_of(dsn, email)] == [sub]


def test_a_code_without_pkce_signs_in_and_the_account_is_found_again(client, front_end, dsn):
    sub, email = person(front_end)
    first = client.post(CALLBACK, json={"code": front_end.code(sub, FRONT_END), "redirect_uri": FRONT_END})
    second = client.post(CALLBACK, json={"code": front_end.code(sub, FRONT_END), "redirect_uri": FRONT_END})
    assert first.status_code == second.status_code == 200
    assert me(client, first.json)["id"] == me(client, second.json)["id"]
    assert len(accounts_of(dsn, email)) == 1


def test_a_code_used_twice_is_refused_the_second_time(client, front_end):
    sub, _ = person(front_end)
    body = {"code": front_end.code(sub, FRONT_END), "redirect_uri": FRONT_END}
    assert client.post(CALLBACK, json=body).status_code == 200
    refused(client.post(CALLBACK, json=body), says="invalid_grant")


def test_foreign_and_bad_codes_are_refused_and_sign_in_no_one(client, issuer, front_end, dsn):
    sub, email = person(front_end)
    verifier = new_verifier()
    attempts = {
        "made up": {"code": "made-up-code", "redirect_uri": FRONT_END},
        "another client's": {"code": App(issuer, "someone-else").code(sub, FRONT_END), "redirect_uri": FRONT_END},
        "another redirect URI's": {"code": front_end.code(sub, OTHER_FRONT_END), "redirect_uri": FRONT_END},
        "a wrong verifier": {
            "code": front_end.code(sub, FRONT_END, verifier),
            "redirect_uri": FRONT_END,
            "code_verifier": new_verifier(),
        },
        "no verifier for a challenge": {"code": front_end.code(sub, FRONT_END, verifier), "redirect_uri": FRONT_END},
        "a verifier for no challenge": {
            "code": front_end.code(sub, FRONT_END),
            "redirect_uri": FRONT_END,
            "code_verifier": verifier,
        },
    }
    for why, body in attempts.items():
        response = client.post(CALLBACK, json=body)
        assert response.status_code == 401, (why, response.json)
        refused(response, says="invalid_grant")
    assert accounts_of(dsn, email) == []


def test_a_nonce_the_id_token_does_not_carry_is_refused(client, front_end, dsn):
    sub, email = person(front_end)
    code = front_end.code(sub, FRONT_END, nonce="the-real-one")
    refused(client.post(CALLBACK, json={"code": code, "redirect_uri": FRONT_END, "nonce": "another"}), says="nonce")
    assert accounts_of(dsn, email) == []


def test_a_redirect_uri_not_allowed_is_refused_before_the_provider_is_asked(client, front_end):
    sub, _ = person(front_end)
    code = front_end.code(sub, FRONT_END)
    response = client.post(CALLBACK, json={"code": code, "redirect_uri": "https://evil.example/steal"})
    refused(response, 422, "allowed redirect URIs")
    assert response.json["errors"][0]["pointer"] == "/redirect_uri"
    # The provider was never asked: the code was not spent.
    assert client.post(CALLBACK, json={"code": code, "redirect_uri": FRONT_END}).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "code"),
        ({"code": "x"}, "redirect_uri"),
        ({"code": "", "redirect_uri": FRONT_END}, "code"),
        ({"code": 12, "redirect_uri": FRONT_END}, "code"),
        ({"code": "x", "redirect_uri": FRONT_END, "code_verifier": "short"}, "code_verifier"),
        ({"code": "x", "redirect_uri": FRONT_END, "code_verifier": "é" * 50}, "code_verifier"),
        ({"code": "x" * 2049, "redirect_uri": FRONT_END}, "code"),
        ({"code": "x\ny", "redirect_uri": FRONT_END}, "code"),
        ({"code": "x", "redirect_uri": FRONT_END, "state": "?"}, "state"),
    ],
    ids=[
        "empty",
        "no redirect_uri",
        "blank code",
        "not a string",
        "short verifier",
        "verifier charset",
        "too long",
        "line break",
        "unknown field",
    ],
)
def test_a_malformed_body_is_a_422(client, body, field):
    response = client.post(CALLBACK, json=body)
    refused(response, 422)
    assert f"/{field}" in [error["pointer"] for error in response.json["errors"]]


def test_other_bodies_are_refused(client):
    refused(client.post(CALLBACK, data="code=x", content_type="text/plain"), 415)
    refused(client.post(CALLBACK, data=b"{", content_type="application/json"), 400)
    refused(client.post(CALLBACK, json=["code"]), 422)


def test_the_form_post_still_needs_the_state_of_a_login_started_here(client, front_end):
    sub, _ = person(front_end)
    response = client.post(CALLBACK, data={"code": front_end.code(sub, FRONT_END), "state": "made-up"})
    refused(response, says="state")


# A mobile app posts its ID token


def test_a_mobile_apps_id_token_signs_in(client, android, dsn):
    sub, email = person(android)
    response = client.post(TOKEN, json={"id_token": android.id_token(sub, nonce="n-1"), "nonce": "n-1"})
    assert response.status_code == 200, response.json
    assert response.headers["Cache-Control"] == "no-store"
    assert me(client, response.json)["email"] == email
    again = client.post(TOKEN, json={"id_token": android.id_token(sub)})
    assert me(client, again.json)["id"] == me(client, response.json)["id"]
    assert [google_sub for _, google_sub in accounts_of(dsn, email)] == [sub]


def test_the_web_clients_id_token_is_taken_too(client, front_end):
    sub, email = person(front_end)
    response = client.post(TOKEN, json={"id_token": front_end.id_token(sub, FRONT_END)})
    assert response.status_code == 200, response.json
    assert me(client, response.json)["email"] == email


def test_foreign_bad_and_expired_id_tokens_are_refused(client, idp, android, dsn):
    sub, email = person(android)
    good = android.id_token(sub)
    header, payload, signature = good.split(".")
    claims = _claims(good)
    with provider() as elsewhere:
        stranger = App(elsewhere.issuer, ANDROID)
        stranger.person(sub, email=email, email_verified=True)
        another_issuers = stranger.id_token(sub)
    own_key = RSAKey.generate_key(2048, parameters={"kid": "not-the-providers"})
    attempts = {
        "another client's": (App(idp.issuer, "someone-else").id_token(sub), "'aud'"),
        "several audiences, no azp": (idp.sign({**claims, "aud": [ANDROID, "someone-else"]}), "azp"),
        "another authorized party": (idp.sign({**claims, "azp": "someone-else"}), "azp"),
        "another issuer's": (another_issuers, "bad_signature"),
        "another issuer named": (idp.sign({**claims, "iss": "https://accounts.example.net"}), "'iss'"),
        "expired": (idp.sign({**claims, "iat": claims["iat"] - 7200, "exp": claims["iat"] - 3600}), "expired"),
        "no expiry": (idp.sign({key: value for key, value in claims.items() if key != "exp"}), "exp"),
        "a forged signature": (f"{header}.{payload}.{signature[::-1]}", "bad_signature"),
        "altered claims": (f"{header}.{_b64({**claims, 'sub': 'google-admin'})}.{signature}", "bad_signature"),
        "signed by another key": (jwt.encode({"alg": "RS256", "kid": "not-the-providers"}, claims, own_key), "kid"),
        "unsigned": (f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.", "'none'"),
        "not a token": ("not-a-token", "decode_error"),
    }
    for why, (token, reason) in attempts.items():
        response = client.post(TOKEN, json={"id_token": token})
        assert response.status_code == 401, (why, response.json)
        assert reason in response.json["detail"], (why, response.json["detail"])
        refused(response)
    refused(client.post(TOKEN, json={"id_token": good, "nonce": "not-in-the-token"}), says="nonce")
    assert accounts_of(dsn, email) == []


def test_a_token_for_the_web_client_that_an_android_app_holds_is_taken(client, idp, android):
    """Android's Sign in with Google: the audience is the server's (web) client, `azp` the app."""
    sub, email = person(android)
    token = idp.sign({**_claims(android.id_token(sub)), "aud": WEB, "azp": ANDROID})
    response = client.post(TOKEN, json={"id_token": token})
    assert response.status_code == 200, response.json
    assert me(client, response.json)["email"] == email


def test_an_unverified_email_is_refused(client, android, dsn):
    sub = f"google-{uuid.uuid4().hex[:12]}"
    email = f"{sub}@example.com"
    android.person(sub, email=email, email_verified=False)
    refused(client.post(TOKEN, json={"id_token": android.id_token(sub)}), says="not verified")
    assert accounts_of(dsn, email) == []


def test_bad_token_bodies_are_refused(client):
    for body in ({}, {"id_token": ""}, {"id_token": 5}, {"id_token": "x" * 8193}, {"id_token": "x", "extra": 1}):
        refused(client.post(TOKEN, json=body), 422)
    refused(client.post(TOKEN, data={"id_token": "x"}), 415)


def test_not_configured_is_a_404(gateway_settings):
    client = create_app(gateway_settings.model_copy(update={"google_client_id": ""})).test_client()
    refused(client.post(TOKEN, json={"id_token": "x.y.z"}), 404, "not configured")
    refused(client.post(CALLBACK, json={"code": "x", "redirect_uri": FRONT_END}), 404, "not configured")


def test_both_are_documented(app):
    paths = app.test_client().get("/schema/").json["paths"]
    content = paths[CALLBACK]["post"]["requestBody"]["content"]
    assert set(content) == {"application/json", "application/x-www-form-urlencoded"}
    assert paths[TOKEN]["post"]["summary"].startswith("Sign in with the ID token")


def _claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _b64(document: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).rstrip(b"=").decode()
