"""`make fuzz`: schemathesis over the whole OpenAPI document, signed in, against a real stack of its own.

The gateway (gunicorn) and the outbox relay run on a database, a RabbitMQ vhost
and a Redis prefix made for this run and removed after it, with the shipped
defaults an outsider meets (private webhook targets refused). A fresh user signs
up; schemathesis then sends its generated requests, valid and invalid, with
that user's bearer token, and every check must pass: no server error, no
undocumented status, content type or header, no invalid request accepted.

The internal webhooks (/api/webhooks/*) are left out: they take only requests
signed with the workers' secrets, so unsigned fuzzing would test the signature
check alone (tests/e2e/security covers that). Signing out revokes the token
every other request carries, so POST /api/auth/logout gets a run of its own,
last, with a session of its own.

    make fuzz                 # a random seed, printed
    make fuzz SEED=1234       # replay a run
    make fuzz EXAMPLES=300    # more cases per operation (default 100)
    make fuzz ARGS="--include-path-regex ^/api/styles"   # more `st run` options, for the main run only
"""

import os
import random
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

import httpx
import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests/e2e"))
from e2e_stack import VENV_BIN, Stack, e2e_env, studio_env  # noqa: E402

PG_ADMIN = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP_HOST = os.environ.get("TEST_AMQP_HOST", "127.0.0.1:5672")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CONFIG = Path(__file__).with_name("schemathesis.toml")
WEBHOOKS = "^/api/webhooks/"
LOGOUT = "/api/auth/logout"


def create_database(name: str) -> str:
    """A database of this run's, migrated to head; its SQLAlchemy URL."""
    from gateway.migrate import upgrade

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    upgrade(url)
    return url


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=120)


def delete_keys(prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def schemathesis(base_url: str, token: str, seed: int, examples: int, selection: list[str], workdir: str) -> int:
    """One `st run` over /schema/ as the signed-in user, every check on but one; its exit code."""
    command = [
        str(VENV_BIN / "st"),
        "--config-file",
        str(CONFIG),
        "run",
        f"{base_url}/schema/",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance",  # business rules (a password's length, an opaque cursor) are no JSON Schema
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        str(examples),
        "--seed",
        str(seed),
        "--workers",
        "2",
        "--request-timeout",
        "30",
        "--generation-database",
        "none",
        "--no-color",
        *selection,
    ]
    print("$", " ".join(command).replace(token, "<token>"), flush=True)
    return subprocess.run(command, cwd=workdir).returncode  # its crash cache (.schemathesis/) stays out of the tree


def sessions(http: httpx.Client, count: int) -> list[str]:
    """A new artist (who may also upload styles) signed in `count` times: one access token per session.

    The password is random, so no documented example can close the account; every session is
    opened before the fuzzing starts, which soon spends the address's sign-up and login budgets.
    """
    name = f"fuzz{secrets.token_hex(5)}"
    credentials = {"username": name, "password": secrets.token_urlsafe(24)}
    user = http.post("/api/auth/signup", json={"email": f"{name}@example.com", **credentials})
    assert user.status_code == 201, user.text
    first = http.post("/api/auth/login", json=credentials).json()["access_token"]
    artist = http.post("/api/users/me/upgrade-to-artist", headers={"Authorization": f"Bearer {first}"})
    assert artist.status_code == 200, artist.text
    tokens = [http.post("/api/auth/login", json=credentials) for _ in range(count)]  # tokens that carry the role
    assert all(t.status_code == 200 for t in tokens), [t.text for t in tokens]
    return [t.json()["access_token"] for t in tokens]


def fuzz(stack: Stack, seed: int, examples: int, extra: list[str]) -> int:
    """Everything but the internal webhooks and signing out, then signing out alone; non-zero if any failed."""
    base_url, workdir = stack.env["GATEWAY_URL"], stack.workdir
    main_session, logout_session = sessions(stack.http, 2)
    everything = ["--exclude-path-regex", WEBHOOKS, "--exclude-path", LOGOUT, *extra]
    first = schemathesis(base_url, main_session, seed, examples, everything, workdir)
    if extra:
        return first
    second = schemathesis(base_url, logout_session, seed, examples, ["--include-path", LOGOUT], workdir)
    return first or second


def main() -> int:
    seed = int(os.environ.get("SEED") or random.randrange(2**31))
    examples = int(os.environ.get("EXAMPLES") or 100)
    extra = shlex.split(os.environ.get("ARGS", ""))
    run_id = uuid.uuid4().hex[:10]
    database, vhost, prefix = f"fuzz_{run_id}", f"fuzz-{run_id}", f"fuzz-{run_id}"
    print(f"make fuzz: seed {seed}, {examples} examples per operation (replay: make fuzz SEED={seed})", flush=True)
    stack, storage = None, tempfile.mkdtemp(prefix="fuzz-storage-")
    try:
        database_url = create_database(database)
        rabbitmqctl("add_vhost", vhost)
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        amqp_url = f"amqp://guest:guest@{AMQP_HOST}/{quote(vhost, safe='')}"
        # No payments service runs here, so there is no payments database to name.
        env = studio_env(e2e_env(database_url, "", amqp_url, prefix), storage)
        env["WEBHOOK_ALLOW_PRIVATE_URLS"] = "false"  # the shipped default: fuzz what `make run` serves
        stack = Stack(env)
        stack.start("gateway")
        stack.start("relay")
        code = fuzz(stack, seed, examples, extra)
        if code:
            print(f"gateway log (tail):\n{stack.logs('gateway')}", flush=True)
            print(f"make fuzz failed; replay with: make fuzz SEED={seed}", flush=True)
        return code
    finally:
        if stack is not None:
            stack.stop()
            shutil.rmtree(stack.workdir, ignore_errors=True)  # its logs, printed above when the run failed
        shutil.rmtree(storage, ignore_errors=True)
        drop_database(database)
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], capture_output=True, timeout=120)
        delete_keys(prefix)


if __name__ == "__main__":
    sys.exit(main())
