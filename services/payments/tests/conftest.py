"""Fixtures for the payments tests: the service's own per-run database, a gateway receiver, a Toss stand-in.

The support modules are imported by their own names (`toss_standin`, ...) from tests/support,
because the llm-worker's tests already own the package name `support` in a full run.
"""

import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine

_SUPPORT_DIR = str(Path(__file__).resolve().parent / "support")
if _SUPPORT_DIR not in sys.path:
    sys.path.insert(0, _SUPPORT_DIR)


@pytest.fixture(scope="session")
def payments_engine(payments_database_url):
    engine = create_engine(payments_database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def payments_webhook_secret():
    from shared.webhooks import generate_secret

    return generate_secret()


@pytest.fixture
def receiver(payments_webhook_secret):
    """A stand-in for the gateway's payments webhook, verifying signatures."""
    from webhook_receiver import start_receiver

    with start_receiver(payments_webhook_secret) as server:
        yield server


@pytest.fixture
def toss_standin():
    """A running Toss Payments stand-in, stopped after the test."""
    from toss_standin import start_toss_standin

    with start_toss_standin() as server:
        yield server
