"""Gateway fixtures: the app wired to this run's database and vhost, and a webhook signer."""

import json

import pytest

from gateway.app import create_app
from gateway.settings import GatewaySettings
from shared.webhooks import WebhookSigner, generate_secret


@pytest.fixture(scope="session")
def webhook_secret():
    return generate_secret()


@pytest.fixture(scope="session")
def gateway_settings(database_url, amqp_url, webhook_secret):
    return GatewaySettings(
        _env_file=None,
        app_env="test",
        database_url=database_url,
        amqp_url=amqp_url,
        jobs_webhook_secrets=[generate_secret(), webhook_secret],
    )


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
