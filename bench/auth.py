"""The cost of authenticating a request, measured in-process: a token met before (its RS256 signature verified once
per worker, then its claims checked) and a token met for the first time (the signature verified), each with the
revocation and account lookup in PostgreSQL."""

import time
import uuid

from gateway.app import create_app
from gateway.settings import GatewaySettings


def _timed(calls: list) -> tuple[list[float], float]:
    """Each call's wall milliseconds, sorted, and the CPU milliseconds per call."""
    walls = []
    cpu_start = time.process_time()
    for call in calls:
        start = time.perf_counter()
        call()
        walls.append((time.perf_counter() - start) * 1000)
    return sorted(walls), (time.process_time() - cpu_start) * 1000 / len(calls)


def auth_path(settings: GatewaySettings, calls: int = 3000) -> dict[str, float]:
    """authenticate() on a real access token `calls` times, then once on each of `calls // 6` new tokens."""
    from gateway.accounts.authentication import authenticate
    from gateway.accounts.service import signup
    from gateway.accounts.sessions import start_session
    from gateway.accounts.tokens import ACCESS

    app = create_app(settings)
    d = app.extensions["gateway"]
    user = signup(d.db.uow(), f"bench-{uuid.uuid4().hex[:8]}@example.com", f"b{uuid.uuid4().hex[:8]}", "x" * 12 + "y")
    header = f"Bearer {start_session(d.db.uow(), d.tokens, user).access_token}"
    for _ in range(200):
        authenticate(d.db.uow(), d.tokens, header)
    walls, cpu = _timed([lambda: authenticate(d.db.uow(), d.tokens, header)] * calls)
    new = [f"Bearer {d.tokens.issue(ACCESS, user.id, uuid.uuid4()).token}" for _ in range(calls // 6)]
    first, first_cpu = _timed([lambda h=h: authenticate(d.db.uow(), d.tokens, h) for h in new])
    return {
        "p50": walls[len(walls) // 2],
        "p99": walls[int(len(walls) * 0.99)],
        "cpu": cpu,
        "first_p50": first[len(first) // 2],
        "first_cpu": first_cpu,
    }
