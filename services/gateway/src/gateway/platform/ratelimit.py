"""Rate limits kept in Redis, so they hold across gunicorn workers and replicas (`limits` library)."""

import logging
import math
import time

from limits import parse
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class RateLimiter:
    """`hit(rule, *key)` counts one attempt; it answers how many seconds to wait, or None to go ahead."""

    def __init__(self, redis_url: str, prefix: str):
        self._limiter = MovingWindowRateLimiter(RedisStorage(redis_url, key_prefix=prefix, socket_timeout=1))

    def hit(self, rule: str, *key: str) -> int | None:
        return self._answer(self._limiter.hit, rule, key)

    def spent(self, rule: str, *key: str) -> int | None:
        """Like `hit` without counting: seconds to wait while the budget is spent, else None."""
        return self._answer(self._limiter.test, rule, key)

    def _answer(self, check, rule: str, key: tuple[str, ...]) -> int | None:
        limit = parse(rule)
        try:
            if check(limit, *key):
                return None
            reset_at = self._limiter.get_window_stats(limit, *key).reset_time
        except RedisError as error:  # fail open: an outage of Redis must not lock every user out
            log.warning("rate limiter unavailable (%s); letting the request through", error)
            return None
        return max(1, math.ceil(reset_at - time.time()))
