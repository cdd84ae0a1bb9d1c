"""Google login end to end against a real local OpenID Connect provider (oidc-provider-mock).

Our side runs in the Flask test client; the provider runs in a thread and is driven
over HTTP the way a browser would: open the authorization URL, post the `sub` of the
user who signs in (or press Deny), and carry the redirect back to our callback.
"""

import socket
import uuid
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import psycopg
import pytest
import requests
from oidc_provider_mock import run_server_in_thread

from gateway.app import create_app

CLIENT_ID = "platform-web"
CALLBACK = "/api/auth/google/callback"


@pytest.fixture(scope="module")
def provider():
    """The provider's issuer URL."""
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def google_app(gateway_settings, **changes):
    settings = {
        "google_client_id": CLIENT_ID,
        "google_client_secret": "client-secret",
        "secret_key": "test-secret-key-for-the-session-cookie",
    }
    return create_app(gateway_settings.model_copy(update={**settings, **changes}))


@pytest.fixture(scope="module")
def app(gateway_settings, provider):
    return google_app(gateway_settings, google_issuer=provider)


@pytest.fixture
def dsn(database_url):
    return database_url.replace("postgresql+psycopg://", "postgresql://")


class Browser:
    """One user agent: a cookie jar of its own on our side, plain HTTP on the provider's."""

    def __init__(self, app):
        self.client = app.test_client()

    def start(self, query: str = "") -> str:
        """Our login endpoint; the provider's authorization URL it redirects to."""
        response = self.client.get(f"/api/auth/google/login{query}")
        assert response.status_code == 302, response.get_data(as_text=True)
        return response.headers["Location"]

    def consent(self, authorize_url: str, sub: str) -> str:
        """Sign in at the provider as `sub`; the callback URL (path and query) it sends us back to."""
        return self._at_provider(authorize_url, {"sub": sub})

    def deny(self, authorize_url: str) -> str:
        return self._at_provider(authorize_url, {"action": "deny"})

    def sign_in(self, provider: str, sub: str, **claims):
        """The whole flow for a user whose provider-side claims are `claims`; our callback's answer."""
        assert requests.put(f"{provider}/users/{sub}", json=claims, timeout=5).status_code == 204
        return self.client.get(self.consent(self.start(), sub))

    @staticmethod
    def _at_provider(authorize_url: str, form: dict) -> str:
        response = requests.post(authorize_url, data=form, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text
        back = urlsplit(response.headers["Location"])
        assert back.path == CALLBACK
        return f"{back.path}?{back.query}"


def new_identity() -> tuple[str, str]:
    """A fresh provider `sub` and e-mail address."""
    tag = uuid.uuid4().hex[:12]
    return f"google-{tag}", f"g{tag}@example.com"


def users_with(dsn: str, email: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        query = "SELECT id, google_sub, email_verified FROM users WHERE lower(email) = lower(%s)"
        return conn.execute(query, (email,)).fetchall()


def me(client, pair: dict) -> dict:
    response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert response.status_code == 200, response.json
    return response.json


def assert_refused(response, status: int, detail_contains: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert detail_contains in response.json["detail"]


def test_login_redirects_to_the_provider_with_state_and_nonce(app, provider):
    location = Browser(app).start("?redirect_uri=https://evil.example/steal")
    url = urlsplit(location)
    params = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{provider}/oauth2/authorize"
    assert params["response_type"] == ["code"]
    assert params["client_id"] == [CLIENT_ID]
    assert params["scope"] == ["openid email profile"]
    assert params["state"][0] and params["nonce"][0]
    # The client's redirect_uri is ignored: the provider would send the code wherever it points.
    assert params["redirect_uri"] == [f"http://localhost{CALLBACK}"]


def test_a_configured_redirect_uri_is_used(gateway_settings, provider):
    configured = "https://platform.example/api/auth/google/callback"
    app = google_app(gateway_settings, google_issuer=provider, google_redirect_uri=configured)
    params = parse_qs(urlsplit(Browser(app).start()).query)
    assert params["redirect_uri"] == [configured]


def test_a_new_user_is_created_from_a_verified_email_and_gets_a_working_pair(app, provider, dsn):
    sub, email = new_identity()
    browser = Browser(app)
    response = browser.sign_in(provider, sub, email=email, email_verified=True, name="Mina Kim")
    assert response.status_code == 200, response.json
    assert response.headers["Cache-Control"] == "no-store"
    pair = response.json
    assert pair["token_type"] == "Bearer" and pair["expires_in"] > 0
    user = me(browser.client, pair)
    assert user["email"] == email and user["email_verified"] is True and user["roles"] == ["user"]
    [(user_id, google_sub, _)] = users_with(dsn, email)
    assert (str(user_id), google_sub) == (user["id"], sub)
    refreshed = browser.client.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.json


def test_the_callback_also_takes_a_form_post(app, provider, dsn):
    sub, email = new_identity()
    requests.put(f"{provider}/users/{sub}", json={"email": email, "email_verified": True}, timeout=5)
    browser = Browser(app)
    callback = urlsplit(browser.consent(browser.start(), sub))
    response = browser.client.post(CALLBACK, data=dict(parse_qsl(callback.query)))
    assert response.status_code == 200, response.json
    assert me(browser.client, response.json)["email"] == email


def test_a_second_login_finds_the_same_user(app, provider, dsn):
    sub, email = new_identity()
    first = Browser(app).sign_in(provider, sub, email=email, email_verified=True)
    browser = Browser(app)
    second = browser.sign_in(provider, sub, email=email, email_verified=True)
    assert first.status_code == second.status_code == 200
    assert me(browser.client, first.json)["id"] == me(browser.client, second.json)["id"]
    assert len(users_with(dsn, email)) == 1


def test_an_existing_password_user_with_the_same_email_is_linked(app, provider, dsn):
    sub, email = new_identity()
    browser = Browser(app)
    signup = browser.client.post(
        "/api/auth/signup",
        json={"email": email, "username": f"u{uuid.uuid4().hex[:10]}", "password": "correct horse battery staple"},
    )
    assert signup.status_code == 201, signup.json
    response = browser.sign_in(provider, sub, email=email.upper(), email_verified=True)
    assert response.status_code == 200, response.json
    assert me(browser.client, response.json)["id"] == signup.json["id"]
    assert [(str(user_id), google_sub) for user_id, google_sub, _ in users_with(dsn, email)] == [
        (signup.json["id"], sub)
    ]


def test_linking_revokes_what_was_made_without_proof_of_the_email(app, provider, dsn):
    """Someone signed up with the victim's address first: Google's proof wins, their credentials die."""
    sub, email = new_identity()
    browser = Browser(app)
    password = "correct horse battery staple"
    username = f"u{uuid.uuid4().hex[:10]}"
    browser.client.post("/api/auth/signup", json={"email": email, "username": username, "password": password})
    squatter = browser.client.post("/api/auth/login", json={"username": username, "password": password}).json
    squatter_auth = {"Authorization": f"Bearer {squatter['access_token']}"}
    key = browser.client.post("/api/api-keys", json={"name": "backdoor"}, headers=squatter_auth).json["key"]

    assert browser.sign_in(provider, sub, email=email, email_verified=True).status_code == 200

    assert browser.client.post("/api/auth/login", json={"username": username, "password": password}).status_code == 401
    assert browser.client.get("/api/auth/me", headers=squatter_auth).status_code == 401
    assert (
        browser.client.post("/api/auth/refresh", json={"refresh_token": squatter["refresh_token"]}).status_code == 401
    )
    assert browser.client.get("/api/auth/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    again = browser.sign_in(provider, sub, email=email, email_verified=True)  # the owner keeps signing in
    assert me(browser.client, again.json)["email"] == email


def test_linking_tells_the_push_server_to_cut_the_squatters_sessions(app, provider, dsn):
    """The squatter's open push streams close too: one SessionRevoked per live session, on the outbox."""
    sub, email = new_identity()
    browser = Browser(app)
    password, username = "correct horse battery staple", f"u{uuid.uuid4().hex[:10]}"
    user = browser.client.post("/api/auth/signup", json={"email": email, "username": username, "password": password})
    sessions = [
        browser.client.post("/api/auth/login", json={"username": username, "password": password}).json for _ in range(2)
    ]
    tokens = app.extensions["gateway"].tokens
    sids = {tokens.verify(pair["access_token"], "access")["sid"] for pair in sessions}

    assert browser.sign_in(provider, sub, email=email, email_verified=True).status_code == 200

    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT payload->>'session_id', payload->>'reason' FROM outbox "
            "WHERE message_type = 'SessionRevoked' AND payload->>'user_id' = %s",
            (user.json["id"],),
        ).fetchall()
    assert sorted(rows) == sorted((sid, "credentials_reset") for sid in sids)


@pytest.mark.parametrize("verified", [{"email_verified": False}, {}], ids=["false", "absent"])
def test_an_unverified_email_is_refused(app, provider, dsn, verified):
    sub, email = new_identity()
    response = Browser(app).sign_in(provider, sub, email=email, **verified)
    assert_refused(response, 401, "not verified")
    assert users_with(dsn, email) == []


def test_a_tampered_state_is_refused(app, provider, dsn):
    sub, email = new_identity()
    requests.put(f"{provider}/users/{sub}", json={"email": email, "email_verified": True}, timeout=5)
    browser = Browser(app)
    callback = urlsplit(browser.consent(browser.start(), sub))
    params = dict(parse_qsl(callback.query))
    tampered = browser.client.get(f"{CALLBACK}?{urlencode({**params, 'state': 'attacker-chosen'})}")
    assert_refused(tampered, 401, "state")
    missing = browser.client.get(f"{CALLBACK}?{urlencode({'code': params['code']})}")
    assert_refused(missing, 401, "state")
    assert users_with(dsn, email) == []


def test_a_callback_from_another_browser_is_refused(app, provider, dsn):
    """Login CSRF: the attacker's own code and state, planted in the victim's browser."""
    sub, email = new_identity()
    requests.put(f"{provider}/users/{sub}", json={"email": email, "email_verified": True}, timeout=5)
    attacker = Browser(app)
    callback = attacker.consent(attacker.start(), sub)
    assert_refused(Browser(app).client.get(callback), 401, "state")
    assert users_with(dsn, email) == []


def test_a_replayed_callback_is_refused(app, provider):
    sub, email = new_identity()
    requests.put(f"{provider}/users/{sub}", json={"email": email, "email_verified": True}, timeout=5)
    browser = Browser(app)
    callback = browser.consent(browser.start(), sub)
    assert browser.client.get(callback).status_code == 200
    assert_refused(browser.client.get(callback), 401, "state")


def test_a_code_the_provider_refuses_is_refused(app, dsn):
    browser = Browser(app)
    state = parse_qs(urlsplit(browser.start()).query)["state"][0]
    response = browser.client.get(f"{CALLBACK}?{urlencode({'code': 'made-up', 'state': state})}")
    assert_refused(response, 401, "invalid_grant")


def test_access_denied_at_the_provider_is_refused(app):
    browser = Browser(app)
    callback = browser.deny(browser.start())
    assert "error=access_denied" in callback
    assert_refused(browser.client.get(callback), 401, "access_denied")
    assert_refused(browser.client.get(f"{CALLBACK}?error=access_denied"), 401, "access_denied")
    form = browser.client.post(CALLBACK, data={"error": "access_denied", "error_description": "The user said no"})
    assert_refused(form, 401, "The user said no")


def test_not_configured_is_a_404_problem(gateway_settings):
    app = create_app(gateway_settings.model_copy(update={"google_client_id": ""}))
    client = app.test_client()
    for response in (
        client.get("/api/auth/google/login"),
        client.get(f"{CALLBACK}?code=x&state=y"),
        client.post(CALLBACK, data={"code": "x", "state": "y"}),
    ):
        assert_refused(response, 404, "Google login is not configured")


def test_an_unreachable_provider_is_a_503_problem_and_the_app_still_starts(gateway_settings):
    with socket.socket() as probe:  # a port nobody listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = google_app(gateway_settings, google_issuer=f"http://127.0.0.1:{port}")  # no I/O at creation
    response = app.test_client().get("/api/auth/google/login")
    assert_refused(response, 503, "could not be reached")
    assert response.headers["Retry-After"]


def test_the_endpoints_are_documented(app):
    paths = app.test_client().get("/schema/").json["paths"]
    assert paths["/api/auth/google/login"]["get"]["summary"].startswith("Start signing in with Google")
    assert set(paths["/api/auth/google/callback"]) >= {"get", "post"}
