"""Once-only records in Redis: an e-mail per event, an attempt per delivery, an endpoint's failing streak.

Each record is claimed with SET NX before the effect and settled after it, so a
redelivered message finds the effect done (and skips it) or in flight (and
waits its turn). A claim expires after `claim_seconds`, so a process that died
mid-effect does not block the record for ever; that crash window (effect done,
not yet settled) is the only way to see an effect twice.
"""

import json
import time
from datetime import UTC, datetime

SENDING, SENT = "sending", "sent"
CLAIMED, DONE, BUSY = "claimed", "done", "busy"
KEEP_SECONDS = 30 * 24 * 3600

# KEYS: the record. ARGV: the claim marker, its TTL. Returns the claim, or the record's value.
CLAIM = """
local value = redis.call('GET', KEYS[1])
if value then return value end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return false
"""


class MailLedger:
    """`{prefix}:mail:{event_id}`: absent -> sending (claimed) -> sent."""

    def __init__(self, client, prefix: str, claim_seconds: int = 60):
        self._client = client
        self._prefix = prefix
        self.claim_seconds = claim_seconds
        self._claim = client.register_script(CLAIM)

    def _key(self, event_id: str) -> str:
        return f"{self._prefix}:mail:{event_id}"

    def claim(self, event_id: str) -> str:
        """CLAIMED (send it now), DONE (sent before) or BUSY (another copy is sending it)."""
        value = self._claim(keys=[self._key(event_id)], args=[SENDING, self.claim_seconds])
        if value is None:
            return CLAIMED
        return DONE if _text(value) == SENT else BUSY

    def wait_claim(self, event_id: str, timeout: float, interval: float = 0.5) -> str:
        """Claim again until the other copy settled (DONE), gave up (CLAIMED) or `timeout` passed (BUSY)."""
        deadline = time.monotonic() + timeout
        state = self.claim(event_id)
        while state == BUSY and time.monotonic() < deadline:
            time.sleep(interval)
            state = self.claim(event_id)
        return state

    def mark_sent(self, event_id: str) -> None:
        self._client.set(self._key(event_id), SENT, ex=KEEP_SECONDS)

    def release(self, event_id: str) -> None:
        """The send failed: let the next copy try."""
        self._client.delete(self._key(event_id))


class AttemptLedger:
    """`{prefix}:attempt:{delivery_id}:{n}`: absent -> started (claimed) -> the attempt's report (settled)."""

    def __init__(self, client, prefix: str, claim_seconds: int = 60):
        self._client = client
        self._prefix = prefix
        self._claim_seconds = claim_seconds
        self._claim = client.register_script(CLAIM)

    def _key(self, delivery_id: str, attempt: int) -> str:
        return f"{self._prefix}:attempt:{delivery_id}:{attempt}"

    def claim(self, delivery_id: str, attempt: int) -> tuple[str, list[dict]]:
        """(CLAIMED, []) to make the attempt, (DONE, its reports) if made, (BUSY, []) while in flight."""
        value = self._claim(keys=[self._key(delivery_id, attempt)], args=[SENDING, self._claim_seconds])
        if value is None:
            return CLAIMED, []
        value = _text(value)
        return (BUSY, []) if value == SENDING else (DONE, json.loads(value))

    def settle(self, delivery_id: str, attempt: int, reports: list[dict]) -> None:
        """Remember what the attempt reported, so a redelivered copy re-reports instead of re-posting."""
        self._client.set(self._key(delivery_id, attempt), json.dumps(reports), ex=KEEP_SECONDS)

    def release(self, delivery_id: str, attempt: int) -> None:
        self._client.delete(self._key(delivery_id, attempt))


class FailureStreaks:
    """`{prefix}:failing:{endpoint_id}`: when the endpoint's current run of failures began."""

    def __init__(self, client, prefix: str):
        self._client = client
        self._prefix = prefix

    def _key(self, endpoint_id: str) -> str:
        return f"{self._prefix}:failing:{endpoint_id}"

    def failed(self, endpoint_id: str, now: datetime) -> datetime:
        """Record a failure; when the streak began (now, for the first one)."""
        since = self._client.set(self._key(endpoint_id), now.isoformat(), nx=True, get=True, ex=KEEP_SECONDS)
        return datetime.fromisoformat(_text(since)) if since else now

    def succeeded(self, endpoint_id: str) -> None:
        self._client.delete(self._key(endpoint_id))


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


def utcnow() -> datetime:
    return datetime.now(UTC)
