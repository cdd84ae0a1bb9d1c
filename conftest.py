"""Real infrastructure for every test suite: a fresh database and a unique RabbitMQ vhost per run.

Nothing here mocks the database or the broker. Each run creates `test_<hex>` in
Postgres (migrated with Alembic) and a `test-<hex>` vhost in RabbitMQ, and drops
both when the run ends.
"""

import contextlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import redis as redis_lib

# Import the real package before pytest's importlib mode sees `shared/tests/...` and
# registers a placeholder `shared` namespace module for the folder of the same name.
import shared  # noqa: F401

ROOT = Path(__file__).parent
PG_ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP_HOST = os.environ.get("TEST_AMQP_HOST", "127.0.0.1:5672")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RUN_ID = uuid.uuid4().hex[:10]


def pytest_collection_modifyitems(items):
    """Mark each test by the folder it lives in: unit, integration or e2e."""
    for item in items:
        parts = Path(str(item.fspath)).parts
        for kind in ("unit", "integration", "e2e"):
            if kind in parts:
                item.add_marker(getattr(pytest.mark, kind))


@contextlib.contextmanager
def migrated_database(name: str, upgrade: Callable[[str], None]) -> Iterator[str]:
    """Create database `name`, migrate it with `upgrade`, give its SQLAlchemy URL, drop it afterwards."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    try:
        upgrade(url)
        yield url
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url():
    """A freshly migrated database for this run (SQLAlchemy URL)."""
    from gateway.migrate import upgrade

    with migrated_database(f"test_{RUN_ID}", upgrade) as url:
        yield url


@pytest.fixture(scope="session")
def fresh_gateway_database():
    """Another migrated gateway database, on demand (`with fresh_gateway_database("label") as url`), for a suite
    that must not see the run's shared one."""
    from gateway.migrate import upgrade

    return lambda label: migrated_database(f"test_{label}_{RUN_ID}", upgrade)


@pytest.fixture(scope="session")
def payments_database_url():
    """The payments service's own database for this run, migrated to head (SQLAlchemy URL)."""
    from payments.migrate import upgrade

    with migrated_database(f"test_payments_{RUN_ID}", upgrade) as url:
        yield url


def _rabbitmqctl(*args: str) -> None:
    if shutil.which("rabbitmqctl") is None:
        pytest.skip("rabbitmqctl is needed to create a per-run vhost")
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def amqp_url():
    """A vhost of our own for this run, so queue names stay the real ones without clashing."""
    vhost = f"test-{RUN_ID}"
    _rabbitmqctl("add_vhost", vhost)
    _rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    yield f"amqp://guest:guest@{AMQP_HOST}/{quote(vhost, safe='')}"
    _rabbitmqctl("delete_vhost", vhost)


@pytest.fixture(scope="session")
def redis_prefix():
    """A key prefix of our own in Redis, deleted at the end of the run."""
    prefix = f"test-{RUN_ID}"
    yield prefix
    client = redis_lib.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def clean_tables(database_url):
    """Empty every table before a test that counts rows."""
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("TRUNCATE jobs, job_steps, outbox, webhook_receipts")
    return dsn
