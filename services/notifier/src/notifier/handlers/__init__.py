"""One handler module per message, named after it; `registry` is the index of what the consumers do.

DomainEvent (queue `notifier.events`): append to the owner's push stream, e-mail it.
SessionRevoked, AccountClosed (queue `notifier.events`): record the revocation the push server checks.
SessionEvent (queue `notifier.events`): record it in its session's log, the classroom sockets' resume window.
DeliverWebhook (queue `notifier.webhooks`): one signed attempt at a customer endpoint.
The real-time push (each replica's own queue) lives in notifier.realtime.
"""

from collections.abc import Callable, Mapping
from concurrent.futures import Future

from notifier.handlers.deliver_webhook import DeliverWebhookHandler
from notifier.handlers.domain_event import DomainEventHandler
from notifier.handlers.revocation import RevocationHandler
from notifier.handlers.session_event import SessionEventHandler
from shared.amqp.outcomes import DeadLetter, Delivery, Outcome
from shared.messages import AccountClosed, DeliverWebhook, DomainEvent, SessionRevoked
from shared.messages.classroom import SessionEvent

Handler = Callable[[Delivery], "Outcome | Future[Outcome]"]


def registry(
    domain_event: DomainEventHandler | None = None,
    deliver_webhook: DeliverWebhookHandler | None = None,
    revocation: RevocationHandler | None = None,
    session_event: SessionEventHandler | None = None,
) -> dict[str, Handler]:
    """Message type -> its handler, for the roles this process runs."""
    handlers = {
        DomainEvent.TYPE: domain_event,
        DeliverWebhook.TYPE: deliver_webhook,
        SessionRevoked.TYPE: revocation,
        AccountClosed.TYPE: revocation,
        SessionEvent.TYPE: session_event,
    }
    return {kind: handler for kind, handler in handlers.items() if handler is not None}


class Dispatcher:
    """Hands each delivery to the handler of its message type (the AMQP `type` property)."""

    def __init__(self, handlers: Mapping[str, Handler]):
        self._handlers = dict(handlers)

    def __call__(self, delivery: Delivery) -> "Outcome | Future[Outcome]":
        handler = self._handlers.get(delivery.message_type or "")
        if handler is None:
            return DeadLetter(f"no handler for message type {delivery.message_type!r}")
        return handler(delivery)
