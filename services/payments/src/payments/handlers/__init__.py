"""One handler module per message, named after it; `registry` is the index of what the service does."""

from collections.abc import Callable, Mapping

from payments.handlers.charge_payment import ChargePaymentHandler
from payments.handlers.refund_payment import RefundPaymentHandler
from payments.providers.base import PaymentProvider
from payments.reporter import GatewayReporter
from payments.store import PaymentStore
from shared.amqp.outcomes import DeadLetter, Delivery, Outcome
from shared.messages import ChargePayment, RefundPayment

Handler = Callable[[Delivery], Outcome]


def registry(store: PaymentStore, provider: PaymentProvider, reporter: GatewayReporter) -> dict[str, Handler]:
    """Message type -> its handler."""
    return {
        ChargePayment.TYPE: ChargePaymentHandler(store, provider, reporter),
        RefundPayment.TYPE: RefundPaymentHandler(store, provider, reporter),
    }


class Dispatcher:
    """Hands each delivery to the handler of its message type (the AMQP `type` property)."""

    def __init__(self, handlers: Mapping[str, Handler]):
        self._handlers = dict(handlers)

    def __call__(self, delivery: Delivery) -> Outcome:
        handler = self._handlers.get(delivery.message_type or "")
        if handler is None:
            return DeadLetter(f"no handler for message type {delivery.message_type!r}")
        return handler(delivery)
