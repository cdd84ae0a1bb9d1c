"""What a message handler decides; the consumer runner turns it into ack, retry or dead-letter."""

import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True)
class Ack:
    """The effect is durable: remove the message."""


@dataclasses.dataclass(frozen=True)
class Retry:
    """A transient failure: try again after the next back-off step."""

    reason: str


@dataclasses.dataclass(frozen=True)
class DeadLetter:
    """Give up: move the message to its `.dead` queue for an operator."""

    reason: str


Outcome = Ack | Retry | DeadLetter


@dataclasses.dataclass(frozen=True)
class Delivery:
    """One message as a handler sees it, free of pika types."""

    body: bytes
    message_id: str | None
    message_type: str | None
    headers: dict[str, Any]
    redelivered: bool
    attempt: int
    max_attempts: int

    @property
    def delivery_count(self) -> int:
        """How often the broker handed this copy out before (quorum queues count it)."""
        return int(self.headers.get("x-delivery-count") or 0)

    @property
    def is_last_attempt(self) -> bool:
        return self.attempt >= self.max_attempts
