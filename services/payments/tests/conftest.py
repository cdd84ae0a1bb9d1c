"""Fixtures for the payments tests: the service's own per-run database, a gateway receiver, a Toss stand-in.

The support modules are imported by their own names (`toss_standin`, ...) from tests/support,
because the llm-worker's tests already own the package name `support` in a full run.
"""

import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine

_SUPPORT_DIR = str(Path(__file__).resolve().parent / "support")
if _SUPPORT_DIR not in sys.path:
    sys.path.insert(0, _SUPPORT_DIR)

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="session")
def payments_database_url():
    """The payments service's own database for this run, migrated to head, dropped at the end."""
    from payments.migrate import upgrade

    name = f"test_payments_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    upgrade(url)
    yield url
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
