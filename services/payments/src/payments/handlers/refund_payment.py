"""Handles RefundPayment: refund a paid payment once, record the outcome, report it, then ack."""

import logging

from payments import events
from payments.providers.base import Declined, PaymentProvider, ProviderError
from payments.reporter import GatewayReporter
from payments.store import PaymentRecord, PaymentStore
from shared.amqp.outcomes import DeadLetter, Delivery, Outcome, Retry
from shared.messages import RefundPayment
from shared.messages.base import MessageError, decode

log = logging.getLogger(__name__)


class RefundPaymentHandler:
    """One RefundPayment delivery, from decoding to the gateway's acceptance."""

    def __init__(self, store: PaymentStore, provider: PaymentProvider, reporter: GatewayReporter):
        self._store = store
        self._provider = provider
        self._reporter = reporter

    def __call__(self, delivery: Delivery) -> Outcome:
        try:
            command = decode(RefundPayment, delivery.body)
        except MessageError as exc:
            return DeadLetter(f"poison message: {exc}")
        if not isinstance(command.payment_id, str) or not isinstance(command.requested_at, str):
            return DeadLetter("poison message: payment_id and requested_at must be strings")
        record = self._store.get(command.payment_id)
        refusal = self._refusal(command, record)
        if refusal is not None:
            return refusal
        if record.state == "refunded":
            log.info("payment %s already refunded; re-reporting without calling the provider", record.payment_id)
            return self._reporter.deliver(events.refunded(record))
        record = self._store.start_refund(record.payment_id, command.requested_at, str(command.reason or ""))
        if record.state == "refunding":
            settled = self._refund(record, delivery)
            if not isinstance(settled, PaymentRecord):
                return settled
            record = settled
        if record.state == "refunded":
            return self._reporter.deliver(events.refunded(record))
        return self._failure(record, command)

    def _refusal(self, command: RefundPayment, record: PaymentRecord | None) -> Outcome | None:
        """The outcome when there is nothing to refund (yet), or None to go ahead."""
        if record is None:
            return self._refund_failed(command, "not_found", "no charge on record for this payment")
        if record.state == "charging":
            return Retry(f"payment {record.payment_id} is still being charged")
        if record.state == "failed":
            return self._refund_failed(command, "not_paid", "the payment was never paid")
        if record.state == "paid" and record.refund_request == command.requested_at and record.refund_failure_code:
            return self._failure(record, command)  # this very request was refused before
        if record.state != "refunded" and record.provider != self._provider.name:
            return DeadLetter(
                f"payment {record.payment_id} was charged at {record.provider}, not {self._provider.name}"
            )
        if record.state != "refunded" and command.amount != record.amount:
            return self._refund_failed(command, "amount_mismatch", f"only a full refund of {record.amount} is possible")
        return None

    def _refund(self, record: PaymentRecord, delivery: Delivery) -> "PaymentRecord | Outcome":
        """Ask the provider (idempotent by payment id) and record its answer."""
        try:
            result = self._provider.refund(
                payment_id=record.payment_id,
                provider_transaction_id=record.provider_transaction_id,
                amount=record.amount,
                reason=record.refund_reason or "",
            )
        except ProviderError as exc:
            reason = f"{exc.code}: {exc}"
            if not exc.retryable:
                return DeadLetter(f"{reason} (fix the provider settings, then re-drive)")
            if delivery.is_last_attempt:
                log.error(
                    "refund of %s still unsettled after %d attempts: %s", record.payment_id, delivery.attempt, reason
                )
            return Retry(reason)
        if isinstance(result, Declined):
            return self._store.record_refund_failed(record.payment_id, "declined", f"{result.code}: {result.message}")
        return self._store.record_refunded(record.payment_id, result.cancelled_at)

    def _failure(self, record: PaymentRecord, command: RefundPayment) -> Outcome:
        code, reason = record.refund_failure_code, record.refund_failure_reason
        return self._refund_failed(command, code or "refund_failed", reason or "the refund did not go through")

    def _refund_failed(self, command: RefundPayment, code: str, reason: str) -> Outcome:
        return self._reporter.deliver(events.refund_failed(command.payment_id, command.requested_at, code, reason))
