"""SessionEvent on `notifier.events`: recorded in its session's Redis log, from a durable queue.

The real-time replicas record it too, each from an auto-delete queue of its own, as it reaches them; with no
replica listening (all restarting, or away from the broker), only this copy keeps the log whole, so a client
that (re)connects later still gets the latest state and the events it missed. Recording is idempotent by seq.
"""

from redis.exceptions import RedisError

from notifier.classroom.log import SyncSessionLog
from shared.amqp.outcomes import Ack, DeadLetter, Delivery, Outcome, Retry
from shared.messages.base import MessageError, decode
from shared.messages.classroom import SessionEvent


class SessionEventHandler:
    def __init__(self, session_log: SyncSessionLog):
        self._log = session_log

    def __call__(self, delivery: Delivery) -> Outcome:
        try:
            event = decode(SessionEvent, delivery.body)
        except MessageError as exc:
            return DeadLetter(str(exc))
        try:
            self._log.record(event)
        except RedisError as exc:
            return Retry(f"session event not recorded: {exc!r}")
        return Ack()
