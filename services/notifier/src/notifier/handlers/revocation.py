"""SessionRevoked and AccountClosed on `notifier.events`: the revocation recorded in Redis, from a durable queue.

The push replicas record it too, but each from an auto-delete queue of its
own: with every replica down (or away from the broker) and the gateway's own
write lost, only this copy is left. So a replica that starts later still
refuses the revoked token. Both messages have the same effect: one key.
"""

from redis.exceptions import RedisError

from shared.amqp.outcomes import Ack, DeadLetter, Delivery, Outcome, Retry
from shared.messages import AccountClosed, SessionRevoked
from shared.messages.base import MessageError, decode
from shared.revocations import RevocationKeys, record

MESSAGES = {SessionRevoked.TYPE: SessionRevoked, AccountClosed.TYPE: AccountClosed}


class RevocationHandler:
    """Sets the revocation's key (idempotent: a redelivery sets it again)."""

    def __init__(self, client, keys: RevocationKeys):
        self._client = client
        self._keys = keys

    def __call__(self, delivery: Delivery) -> Outcome:
        try:
            message = decode(MESSAGES[delivery.message_type], delivery.body)
        except MessageError as exc:
            return DeadLetter(str(exc))
        try:
            record(self._client, self._keys, [message])
        except RedisError as exc:
            return Retry(f"revocation not recorded: {exc!r}")
        return Ack()
