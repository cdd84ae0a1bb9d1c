"""The black-box security suite's stack: every process started once, a victim's data seeded, nothing mocked.

The stack runs with the shipped defaults where they matter to an attacker
(private webhook targets refused), so the attacks meet what `make run` serves.
"""

import sys
import uuid
from pathlib import Path

import pytest
from e2e_stack import Stack, e2e_env, free_port, studio_env, upload_style

sys.path.insert(0, str(Path(__file__).parent))
from security_kit import PASSWORD, Target, Victim, answers, sign_up

from shared.testing import wait_until


@pytest.fixture(scope="module")
def own_database(fresh_gateway_database):
    """A database of the suite's own, migrated: no other test's leftovers (an outbox row still to relay, a
    delivery still retrying) can change it while an attack is judged. Dropped afterwards."""
    with fresh_gateway_database("security") as url:
        yield url


@pytest.fixture(scope="module")
def target(own_database, payments_database_url, amqp_url, redis_prefix, tmp_path_factory):
    database_url = own_database
    storage = tmp_path_factory.mktemp("security-storage")
    env = studio_env(e2e_env(database_url, payments_database_url, amqp_url, redis_prefix), str(storage), epochs=2)
    env["WEBHOOK_ALLOW_PRIVATE_URLS"] = "false"  # the shipped default: an attacker meets what `make run` serves
    env["RATE_LIMIT_PREFIX"] = f"{redis_prefix}:security-{uuid.uuid4().hex[:6]}"
    stack = Stack(env)
    push_port = free_port()
    try:
        for name in ("gateway", "relay", "llm-worker"):
            stack.start(name)
        stack.start("notifier", {"NOTIFIER_BIND": f"127.0.0.1:{push_port}", "MAILDIR": str(storage / "maildir")})
        push_url = f"http://127.0.0.1:{push_port}"
        assert wait_until(lambda: answers(f"{push_url}/healthz"), 30), stack.logs("notifier")

        user, uploaded = upload_style(stack)  # the victim: an artist with a style trained on twelve images
        assert uploaded.status_code == 202, uploaded.text
        style = stack.wait_until_finished(f"/api/styles/{uploaded.json()['id']}", timeout=120)
        assert style["status"] == "completed", style
        token = stack.http.headers["Authorization"].removeprefix("Bearer ")
        refreshed = stack.http.post("/api/auth/login", json={"username": user["username"], "password": PASSWORD})
        job_id = stack.post_job("All visitors must sign in at the front desk. Badges must be worn at all times.")
        stack.wait_until_finished(f"/api/jobs/{job_id}")
        endpoint = stack.http.post(
            "/api/webhook-endpoints", json={"url": "https://93.184.216.34/in", "event_types": ["job.completed"]}
        )
        assert endpoint.status_code == 201, endpoint.text
        del stack.http.headers["Authorization"]
        _, attacker = sign_up(stack.http)
        victim = Victim(user, token, refreshed.json()["refresh_token"], job_id, style, endpoint.json()["id"])
        dsns = tuple(
            url.replace("postgresql+psycopg://", "postgresql://") for url in (database_url, payments_database_url)
        )
        yield Target(stack, push_url, victim, attacker["access_token"], storage, dsns)
    finally:
        stack.stop()
