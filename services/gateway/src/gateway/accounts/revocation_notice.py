"""Telling the push server about a revocation at once, through the Redis keys it checks before streaming.

The outbox's SessionRevoked / AccountClosed is the message that is never lost,
but the relay publishes it a moment after the commit. A client that signs out
and reconnects at once must already be refused, so after the commit the
gateway also writes the keys itself. Best effort: if Redis is down, the
request still succeeds and the outbox message records the keys when it lands.
"""

import logging

import redis
from redis.exceptions import RedisError

from shared.messages import AccountClosed, SessionRevoked
from shared.revocations import RevocationKeys, record

log = logging.getLogger(__name__)


class RevocationNotice:
    """Writes revocation keys to the notifier's Redis (REDIS_URL, NOTIFIER_REDIS_PREFIX); no I/O until told."""

    def __init__(self, redis_url: str, prefix: str):
        self._client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1)
        self._keys = RevocationKeys(prefix)

    def tell(self, messages: list[SessionRevoked | AccountClosed]) -> None:
        if not messages:
            return
        try:
            record(self._client, self._keys, messages)
        except RedisError as error:
            log.warning("revocation not recorded in Redis at once (%s); the outbox message will record it", error)
