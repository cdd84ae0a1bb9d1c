"""Fixtures for the notifier tests: token keys, a gateway stand-in, customer endpoints, an SMTP server.

The support modules are imported by their own names (`notifier_stack`, ...) from tests/support,
because other services' tests already own the package name `support` in a full run.
"""

import sys
from pathlib import Path

import pytest

_SUPPORT_DIR = str(Path(__file__).resolve().parent / "support")
if _SUPPORT_DIR not in sys.path:
    sys.path.insert(0, _SUPPORT_DIR)


@pytest.fixture(scope="session")
def signing_key():
    """The RSA key our stand-in gateway signs access tokens with."""
    from notifier_tokens import TokenMinter

    return TokenMinter()


@pytest.fixture(scope="session")
def notifier_webhook_secret():
    from shared.webhooks import generate_secret

    return generate_secret()


@pytest.fixture
def gateway(notifier_webhook_secret):
    """A stand-in for the gateway's `POST /api/webhooks/notifier`, verifying signatures."""
    from notifier_receivers import GatewayStandIn

    with GatewayStandIn(notifier_webhook_secret) as server:
        yield server


@pytest.fixture
def customer():
    """A customer's webhook endpoint, scripted per path, recording every request."""
    from notifier_receivers import CustomerEndpoint

    with CustomerEndpoint() as server:
        yield server


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free local port, keeping what it receives."""
    from notifier_smtp import start_smtp_server

    with start_smtp_server() as server:
        yield server


@pytest.fixture
def push_loop():
    """An event loop on its own thread for SSE and WebSocket clients."""
    from notifier_clients import LoopThread

    loop = LoopThread()
    yield loop
    loop.close()
