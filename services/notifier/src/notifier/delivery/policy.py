"""What an attempt's result means: delivered, gone, retry after how long, or give up.

Back-off follows the schedule (5 s, 30 s, 2 min, 10 min, 1 h, then 6 h), each
step shortened by up to 25% at random so endpoints that failed together do not
retry together; `Retry-After` on 429 and 503 is a floor. The schedule's end is
the last attempt: the delivery then fails.
"""

import dataclasses
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

DELIVERED, RETRYING, FAILED, GONE = "delivered", "retrying", "failed", "gone"
RETRY_AFTER_STATUS = {429, 503}
JITTER = 0.25


@dataclasses.dataclass(frozen=True)
class AttemptResult:
    """One HTTP attempt, as reported."""

    status_code: int | None
    latency_ms: int
    error: str | None = None
    retry_after: str | None = None
    refused: bool = False  # the URL may not be called at all (scheme, private address): never retried

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclasses.dataclass(frozen=True)
class Decision:
    outcome: str
    delay_ms: int | None = None  # before the next attempt, when retrying


def retry_after_ms(value: str | None, now: datetime | None = None) -> int | None:
    """`Retry-After` as milliseconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value) * 1000
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, int((when - (now or datetime.now(UTC))).total_seconds() * 1000))


class RetryPolicy:
    """Decides each attempt's outcome from the schedule."""

    def __init__(self, schedule_ms: list[int], max_delay_ms: int, rng: random.Random | None = None):
        self.schedule_ms = list(schedule_ms)
        self.max_delay_ms = max_delay_ms
        self._rng = rng or random.Random()

    @property
    def max_attempts(self) -> int:
        return len(self.schedule_ms) + 1

    def backoff_ms(self, attempt: int) -> int | None:
        """The jittered wait after failed attempt `attempt`; None after the last one."""
        if attempt > len(self.schedule_ms):
            return None
        base = self.schedule_ms[attempt - 1]
        return int(base * (1 - JITTER * self._rng.random()))

    def decide(self, result: AttemptResult, attempt: int, now: datetime | None = None) -> Decision:
        if result.ok:
            return Decision(DELIVERED)
        if result.status_code == 410:
            return Decision(GONE)
        if result.refused:
            return Decision(FAILED)
        delay = self.backoff_ms(attempt)
        if delay is None:
            return Decision(FAILED)
        if result.status_code in RETRY_AFTER_STATUS:
            delay = max(delay, retry_after_ms(result.retry_after, now) or 0)
        return Decision(RETRYING, min(delay, self.max_delay_ms))
