"""Handles ChargePayment: charge once per payment id, record the outcome, report it, then ack.

A redelivery whose outcome is on record does not call the provider; it only
re-reports. A copy that died after the provider call but before recording calls
again with the same idempotency key, and the provider answers with the first result.
"""

import logging

from payments import events
from payments.providers.base import Declined, PaymentProvider, ProviderError
from payments.reporter import GatewayReporter
from payments.store import PaymentRecord, PaymentStore
from shared.amqp.outcomes import DeadLetter, Delivery, Outcome, Retry
from shared.messages import ChargePayment
from shared.messages.base import MessageError, decode
from shared.messages.payments import PAYMENT_METHODS

log = logging.getLogger(__name__)
MAX_ID_LENGTH = 64


def check(command: ChargePayment) -> str | None:
    """Why the provider must not be asked to charge this, or None."""
    amount = command.amount
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        return f"amount must be a positive integer, not {amount!r}"
    if command.method not in PAYMENT_METHODS:
        return f"unknown payment method {command.method!r}"
    currency = command.currency
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha() and currency.isupper()):
        return f"currency must be an ISO 4217 code, not {currency!r}"
    if not isinstance(command.order_name, str) or not isinstance(command.user_id, str):
        return "order_name and user_id must be strings"
    return None


class ChargePaymentHandler:
    """One ChargePayment delivery, from decoding to the gateway's acceptance."""

    def __init__(self, store: PaymentStore, provider: PaymentProvider, reporter: GatewayReporter):
        self._store = store
        self._provider = provider
        self._reporter = reporter

    def __call__(self, delivery: Delivery) -> Outcome:
        try:
            command = decode(ChargePayment, delivery.body)
        except MessageError as exc:
            return DeadLetter(f"poison message: {exc}")
        payment_id = command.payment_id
        if not isinstance(payment_id, str) or not 0 < len(payment_id) <= MAX_ID_LENGTH:
            return DeadLetter(f"poison message: payment_id {payment_id!r}")
        problem = check(command)
        if problem:
            return self._reporter.deliver(events.failed(payment_id, "invalid_request", problem))
        record = self._store.start_charge(command, self._provider.name)
        if (record.amount, record.currency) != (command.amount, command.currency):
            return DeadLetter(f"payment {payment_id} is on record for {record.amount} {record.currency}")
        if not record.charge_settled:
            if record.provider != self._provider.name:
                return DeadLetter(f"payment {payment_id} was started at {record.provider}, not {self._provider.name}")
            settled = self._charge(command, delivery)
            if not isinstance(settled, PaymentRecord):
                return settled
            record = settled
        else:
            log.info("payment %s already %s; re-reporting without calling the provider", payment_id, record.state)
        return self._reporter.deliver(events.charge_outcome(record))

    def _charge(self, command: ChargePayment, delivery: Delivery) -> "PaymentRecord | Outcome":
        """Ask the provider (the payment id is the idempotency key) and record its answer."""
        try:
            result = self._provider.charge(
                payment_id=command.payment_id,
                amount=command.amount,
                currency=command.currency,
                method=command.method,
                order_name=command.order_name,
                card_number=command.card_number,
            )
        except ProviderError as exc:
            reason = f"{exc.code}: {exc}"
            if not exc.retryable:
                return DeadLetter(f"{reason} (fix the provider settings, then re-drive)")
            if delivery.is_last_attempt:
                log.error(
                    "payment %s still unsettled after %d attempts: %s", command.payment_id, delivery.attempt, reason
                )
            return Retry(reason)
        if isinstance(result, Declined):
            return self._store.record_failed(command.payment_id, "declined", f"{result.code}: {result.message}")
        if result.amount != command.amount:
            log.error("payment %s: the provider charged %s, not %s", command.payment_id, result.amount, command.amount)
        return self._store.record_paid(command.payment_id, result.transaction_id, result.approved_at)
