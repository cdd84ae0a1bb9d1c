"""The cost of authenticating a request: RS256 verification plus the revocation lookup, measured in-process."""

import time
import uuid

from gateway.app import create_app
from gateway.settings import GatewaySettings


def auth_path(settings: GatewaySettings, calls: int = 3000) -> dict[str, float]:
    """authenticate() on a real access token: RS256 check + one revocation lookup in PostgreSQL."""
    from gateway.accounts.authentication import authenticate
    from gateway.accounts.service import signup
    from gateway.accounts.sessions import start_session

    app = create_app(settings)
    d = app.extensions["gateway"]
    user = signup(d.db.uow(), f"bench-{uuid.uuid4().hex[:8]}@example.com", f"b{uuid.uuid4().hex[:8]}", "x" * 12 + "y")
    header = f"Bearer {start_session(d.db.uow(), d.tokens, user).access_token}"
    for _ in range(200):
        authenticate(d.db.uow(), d.tokens, header)
    walls = []
    cpu_start = time.process_time()
    for _ in range(calls):
        start = time.perf_counter()
        authenticate(d.db.uow(), d.tokens, header)
        walls.append((time.perf_counter() - start) * 1000)
    walls.sort()
    return {
        "p50": walls[len(walls) // 2],
        "p99": walls[int(len(walls) * 0.99)],
        "cpu": (time.process_time() - cpu_start) * 1000 / calls,
    }
