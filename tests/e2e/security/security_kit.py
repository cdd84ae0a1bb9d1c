"""What the black-box attacks see of the stack, and how they tell that nothing changed."""

import dataclasses
import hashlib
import os
import time
from pathlib import Path

import httpx
import psycopg
from e2e_stack import Stack

from shared.testing import wait_until


@dataclasses.dataclass
class Victim:
    """What the attacks aim at: an account's session and its resources."""

    user: dict
    token: str
    refresh_token: str
    job_id: str
    style: dict
    endpoint_id: str


@dataclasses.dataclass
class Target:
    """The running stack, seen from outside: its URLs, the victim and the attacker's own account."""

    stack: Stack
    push_url: str
    victim: Victim
    attacker_token: str
    storage_dir: Path
    dsns: tuple[str, ...]

    def as_attacker(self) -> dict:
        return {"Authorization": f"Bearer {self.attacker_token}"}


def sign_up(http: httpx.Client) -> tuple[dict, dict]:
    name = f"sec{os.urandom(5).hex()}"
    password = "correct horse battery staple"
    user = http.post("/api/auth/signup", json={"email": f"{name}@example.com", "username": name, "password": password})
    assert user.status_code == 201, user.text
    tokens = http.post("/api/auth/login", json={"username": name, "password": password})
    assert tokens.status_code == 200, tokens.text
    return user.json(), tokens.json()


PASSWORD = "correct horse battery staple"


def answers(url: str) -> bool:
    try:
        return httpx.get(url).status_code == 200
    except httpx.HTTPError:
        return False


def settle(target: Target) -> None:
    """Wait until the background has nothing left to do: no outbox row unpublished, no work in flight."""

    def quiet() -> bool:
        with psycopg.connect(target.dsns[0]) as conn:
            pending = conn.execute("SELECT count(*) FROM outbox WHERE published_at IS NULL").fetchone()[0]
        return pending == 0

    assert wait_until(quiet, 30), "the outbox never drained"


def quiet_snapshot(target: Target, timeout: float = 30.0) -> dict:
    """A snapshot once the background is done (outbox drained, two snapshots 0.3 s apart alike): late reports
    of the seeded work (a training's last progress, a delivery's status) must not pass for an attack's effect."""
    settle(target)
    deadline = time.monotonic() + timeout
    last = snapshot(target)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        current = snapshot(target)
        if current == last:
            return current
        last = current
    raise AssertionError(f"the store never stopped changing: {changed(last, snapshot(target))}")


def changed(before: dict, after: dict) -> list[str]:
    """The tables and stored objects that differ between two snapshots."""
    return [
        name
        for part in ("tables", "files")
        for name in sorted(set(before[part]) | set(after[part]))
        if before[part].get(name) != after[part].get(name)
    ]


def snapshot(target: Target) -> dict:
    """Every table's rows (a digest) in both databases, and every stored object's name and digest."""
    tables = {}
    for dsn in target.dsns:
        with psycopg.connect(dsn) as conn:
            names = conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            ).fetchall()
            for (name,) in names:
                digest = conn.execute(
                    f"SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM \"{name}\" t"
                ).fetchone()
                tables[f"{dsn.rsplit('/', 1)[1]}.{name}"] = digest
    files = {
        str(path.relative_to(target.storage_dir)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(target.storage_dir.rglob("*"))
        if path.is_file() and "maildir" not in path.parts
    }
    return {"tables": tables, "files": files}
