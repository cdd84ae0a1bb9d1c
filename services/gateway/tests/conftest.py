"""Gateway fixtures: the app wired to this run's database and vhost, and a webhook signer."""

import json
import uuid

import pytest

from gateway.accounts.tokens import generate_private_key_pem
from gateway.app import create_app
from gateway.fastpaths import switch
from gateway.settings import GatewaySettings
from shared.webhooks import WebhookSigner, generate_secret


@pytest.fixture(scope="session")
def webhook_secret():
    return generate_secret()


@pytest.fixture(scope="session")
def payments_secret():
    return generate_secret()


@pytest.fixture(scope="session")
def jwt_private_key():
    return generate_private_key_pem()


@pytest.fixture(scope="session")
def gateway_settings(database_url, amqp_url, webhook_secret, payments_secret, jwt_private_key, redis_prefix):
    return GatewaySettings(  # FAST_PATHS comes from the environment: `make test` runs the suite both ways
        _env_file=None,
        app_env="test",
        database_url=database_url,
        amqp_url=amqp_url,
        jobs_webhook_secrets=[generate_secret(), webhook_secret],
        payments_webhook_secrets=[payments_secret],
        notifier_webhook_secrets=[payments_secret],  # one secret is enough for the tests' signed posts
        webhook_allow_private_urls=False,
        jwt_private_key=jwt_private_key,
        rate_limit_prefix=f"{redis_prefix}:ratelimit",
        notifier_redis_prefix=f"{redis_prefix}:notifier",  # where logouts are recorded for the push server
        # generous for the suite; the rate-limit tests build an app with tight limits of their own
        rate_limit_login_per_ip="1000/minute",
        rate_limit_login_per_account="1000/minute",
        rate_limit_signup_per_ip="1000/minute",
        rate_limit_signature_verify_per_ip="1000/minute",
        rate_limit_session_code_misses="1000/minute",
    )


@pytest.fixture
def fast_paths_on():
    """The process's fast paths on for a test of their own (a parity test), whatever FAST_PATHS says for the run."""
    was = switch.enabled()
    switch.set_enabled(True)
    yield
    switch.set_enabled(was)


@pytest.fixture(scope="session")
def app(gateway_settings):
    return create_app(gateway_settings)


@pytest.fixture
def client(app):
    return app.test_client()


class SignedPoster:
    """Posts signed job webhooks the way the llm-worker does."""

    def __init__(self, client, secret: str):
        self.client = client
        self.signer = WebhookSigner(secret)

    def post(self, events: list[dict], webhook_id: str | None = None, timestamp: int | None = None, body=None):
        raw = body if body is not None else json.dumps({"events": events}).encode()
        headers = self.signer.headers(raw, webhook_id, timestamp)
        return self.client.post("/api/webhooks/jobs", data=raw, headers=headers, content_type="application/json")


@pytest.fixture
def signed(client, webhook_secret):
    return SignedPoster(client, webhook_secret)


class Accounts:
    """Signs up and signs in real users through the API."""

    PASSWORD = "correct horse battery staple"

    def __init__(self, client):
        self.client = client

    def sign_up(self, name: str | None = None) -> dict:
        name = name or f"user{uuid.uuid4().hex[:10]}"
        response = self.client.post(
            "/api/auth/signup", json={"email": f"{name}@example.com", "username": name, "password": self.PASSWORD}
        )
        assert response.status_code == 201, response.json
        return response.json

    def login(self, username: str) -> dict:
        response = self.client.post("/api/auth/login", json={"username": username, "password": self.PASSWORD})
        assert response.status_code == 200, response.json
        return response.json

    def new(self) -> "SignedIn":
        """A fresh user, signed in."""
        user = self.sign_up()
        return SignedIn(user, self.login(user["username"]))


class SignedIn:
    def __init__(self, user: dict, tokens: dict):
        self.user, self.tokens = user, tokens
        self.headers = {"Authorization": f"Bearer {tokens['access_token']}"}


@pytest.fixture
def accounts(client):
    return Accounts(client)


@pytest.fixture
def alice(accounts):
    return accounts.new()


@pytest.fixture
def bob(accounts):
    return accounts.new()
