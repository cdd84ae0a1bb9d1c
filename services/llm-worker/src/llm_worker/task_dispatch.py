"""One queue, several commands (careers, classroom): a delivery goes to the handler of its type (its `type` property,
or, from a publisher that sets none, the id its body carries)."""

import json
from collections.abc import Callable, Mapping
from concurrent.futures import Future

from shared.amqp.outcomes import DeadLetter, Delivery, Outcome

Handler = Callable[[Delivery], "Outcome | Future[Outcome]"]


class TaskDispatcher:
    """Routes each delivery of a family's queue to the handler registered for its command."""

    def __init__(self, handlers: Mapping[str, Handler], family: str):
        self._family = family
        self._handlers = dict(handlers)
        self._by_id = {handler.ID_FIELD: handler for handler in self._handlers.values() if hasattr(handler, "ID_FIELD")}

    def __call__(self, delivery: Delivery) -> "Outcome | Future[Outcome]":
        handler = self._handlers.get(delivery.message_type or "") or self._by_body(delivery.body)
        if handler is None:
            return DeadLetter(f"poison message: no {self._family} handler for type {delivery.message_type!r}")
        return handler(delivery)

    def _by_body(self, body: bytes) -> Handler | None:
        try:
            data = json.loads(body)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        return next((handler for field, handler in self._by_id.items() if field in data), None)
