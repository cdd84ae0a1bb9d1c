"""End-to-end fixtures: the stack's environment on this run's database, vhost and Redis prefix."""

import sys
import uuid
from pathlib import Path

import pika
import psycopg
import pytest

from gateway.security.tokens import generate_private_key_pem
from shared.amqp.topology import ensure_declared
from shared.webhooks import generate_secret

sys.path.insert(0, str(Path(__file__).parent))
from e2e_stack import Stack, load_openai_standin

E2E_RETRY_DELAYS = "300,600"
JWT_PRIVATE_KEY = generate_private_key_pem()


@pytest.fixture
def stack_env(database_url, payments_database_url, amqp_url, redis_prefix, clean_tables):
    secret, payments_secret, notifier_secret = generate_secret(), generate_secret(), generate_secret()
    ensure_declared(amqp_url, [300, 600], "e2e")
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    for name in ("llm-worker.jobs", "llm-worker.jobs.dead", "payments.charges", "payments.charges.dead", "unroutable"):
        channel.queue_purge(name)
    conn.close()
    return {
        "DATABASE_URL": database_url,
        "AMQP_URL": amqp_url,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "MEMO_PREFIX": f"{redis_prefix}:{uuid.uuid4().hex[:6]}",
        "MEMO_LOCK_SECONDS": "2",
        "JOBS_WEBHOOK_SECRETS": secret,
        "JOBS_WEBHOOK_SECRET": secret,
        "JWT_PRIVATE_KEY": JWT_PRIVATE_KEY,
        "PAYMENTS_WEBHOOK_SECRETS": payments_secret,
        "PAYMENTS_WEBHOOK_SECRET": payments_secret,
        "PAYMENTS_DATABASE_URL": payments_database_url,
        "PAYMENT_PROVIDER": "sandbox",
        "NOTIFIER_WEBHOOK_SECRETS": notifier_secret,
        "NOTIFIER_WEBHOOK_SECRET": notifier_secret,
        "NOTIFIER_REDIS_PREFIX": f"{redis_prefix}:notifier-{uuid.uuid4().hex[:6]}",
        "WEBHOOK_ALLOW_PRIVATE_URLS": "true",  # the tests' customer endpoints listen on loopback
        "OPERATOR_TOKEN": f"op-{uuid.uuid4().hex}",  # /api/health/detailed
        "RATE_LIMIT_PREFIX": f"{redis_prefix}:ratelimit",
        "RETRY_DELAYS_MS": E2E_RETRY_DELAYS,
        "OUTBOX_POLL_INTERVAL_SECONDS": "0.5",
        "LLM_PROVIDER": "local",
    }


@pytest.fixture
def stack(stack_env):
    s = Stack(stack_env)
    yield s
    s.stop()


@pytest.fixture
def openai_standin():
    module = load_openai_standin()
    server = module.OpenAIStandin().start()
    yield server
    server.stop()


@pytest.fixture
def openai_env(openai_standin):
    return {
        "LLM_PROVIDER": "openai",
        "OPENAI_API_KEY": "sk-e2e",
        "OPENAI_BASE_URL": openai_standin.base_url,
        "OPENAI_MAX_RETRIES": "0",
        "OPENAI_TIMEOUT_SECONDS": "30",
    }


@pytest.fixture
def sql(clean_tables):
    """Run one query against this run's database and return all rows."""

    def run(query: str, *params):
        with psycopg.connect(clean_tables) as conn:
            return conn.execute(query, params).fetchall()

    return run
