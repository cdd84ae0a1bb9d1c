"""Revoked sessions and closed accounts as Redis keys, which the push server checks before it streams.

Two writers, one format: the gateway right after it commits a revocation (at
once, best effort) and the notifier when the outbox's SessionRevoked or
AccountClosed reaches it (late, never lost). A key lives as long as any access
token it covers can still verify, plus the verifiers' clock leeway, and holds
the reason, so a refused connection can say why. `{user_id}` is a hash tag: a
user's keys share a Redis Cluster slot and are read in one MGET.
"""

import math
from datetime import UTC, datetime

from shared.messages.events import AccountClosed, SessionRevoked

LEEWAY_SECONDS = 60  # past the verifiers' leeway on `exp` (10 s), and a little clock skew between machines
ACCOUNT_CLOSED = "account_closed"


class RevocationKeys:
    """Key names under one prefix (the notifier's NOTIFIER_REDIS_PREFIX)."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def session(self, user_id: str, session_id: str) -> str:
        return f"{self.prefix}:revoked:{{{user_id}}}:session:{session_id}"

    def account(self, user_id: str) -> str:
        return f"{self.prefix}:revoked:{{{user_id}}}:account"

    def of(self, message: SessionRevoked | AccountClosed) -> tuple[str, str]:
        """(key, reason) that records `message`."""
        if isinstance(message, SessionRevoked):
            return self.session(message.user_id, message.session_id), message.reason
        return self.account(message.user_id), ACCOUNT_CLOSED


def ttl_seconds(expires_at: str, now: datetime | None = None) -> int:
    """How long to remember a revocation whose tokens all expire at `expires_at` (ISO 8601)."""
    left = (datetime.fromisoformat(expires_at) - (now or datetime.now(UTC))).total_seconds()
    return max(0, math.ceil(left)) + LEEWAY_SECONDS


def record(client, keys: RevocationKeys, messages: list[SessionRevoked | AccountClosed]) -> None:
    """Write the keys of `messages` in one round trip (a synchronous redis client; idempotent)."""
    pipe = client.pipeline(transaction=False)
    for message in messages:
        key, reason = keys.of(message)
        pipe.set(key, reason, ex=ttl_seconds(message.expires_at))
    pipe.execute()
