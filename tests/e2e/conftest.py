"""End-to-end fixtures: the stack's environment on this run's database, vhost and Redis prefix."""

import sys
from pathlib import Path

import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from e2e_stack import Stack, e2e_env, load_openai_standin


@pytest.fixture
def stack_env(database_url, payments_database_url, amqp_url, redis_prefix, clean_tables):
    return e2e_env(database_url, payments_database_url, amqp_url, redis_prefix)


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
