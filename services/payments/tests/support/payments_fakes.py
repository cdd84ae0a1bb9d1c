"""Fakes at the handlers' ports: an in-memory store, a scripted provider, a recording reporter."""

import collections
import dataclasses
from datetime import UTC, datetime

from payments.providers.base import Charged, Refunded
from payments.store import PaymentRecord, utcnow
from shared.amqp.outcomes import Ack, Delivery, Outcome
from shared.messages import ChargePayment, PaymentEvent, RefundPayment

APPROVED_AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def delivery(message, attempt: int = 1, max_attempts: int = 4, body: bytes | None = None) -> Delivery:
    """A delivery of `message` as the consumer runner would hand it over."""
    return Delivery(
        body=message.to_json() if body is None else body,
        message_id="m-1",
        message_type=message.TYPE,
        headers={},
        redelivered=attempt > 1,
        attempt=attempt,
        max_attempts=max_attempts,
    )


def charge(payment_id: str = "pay-1", amount: int = 15000, **overrides) -> ChargePayment:
    fields = {
        "payment_id": payment_id,
        "user_id": "user-1",
        "amount": amount,
        "currency": "KRW",
        "method": "card",
        "order_name": "TOEIC 2026-03",
        "requested_at": "2026-01-02T03:04:05+00:00",
    }
    return ChargePayment(**(fields | overrides))


def refund(payment_id: str = "pay-1", amount: int = 15000, requested_at: str = "2026-01-03T00:00:00+00:00"):
    return RefundPayment(payment_id=payment_id, amount=amount, reason="changed my mind", requested_at=requested_at)


class InMemoryStore:
    """PaymentStore's transitions over a dict."""

    def __init__(self):
        self.records: dict[str, PaymentRecord] = {}

    def get(self, payment_id: str) -> PaymentRecord | None:
        return self.records.get(payment_id)

    def start_charge(self, command: ChargePayment, provider: str) -> PaymentRecord:
        record = self.records.get(command.payment_id)
        if record is None:
            now = utcnow()
            fields = dict.fromkeys(f.name for f in dataclasses.fields(PaymentRecord))
            fields |= {
                "payment_id": command.payment_id,
                "user_id": command.user_id,
                "amount": command.amount,
                "currency": command.currency,
                "method": command.method,
                "order_name": command.order_name,
                "state": "charging",
                "provider": provider,
                "charge_attempts": 1,
                "refund_attempts": 0,
                "created_at": now,
                "updated_at": now,
            }
            record = PaymentRecord(**fields)
        elif record.state == "charging":
            record = dataclasses.replace(record, charge_attempts=record.charge_attempts + 1)
        self.records[command.payment_id] = record
        return record

    def record_paid(self, payment_id, transaction_id, paid_at):
        values = {"state": "paid", "provider_transaction_id": transaction_id, "paid_at": paid_at}
        return self._move(payment_id, ("charging",), values)

    def record_failed(self, payment_id, code, reason):
        values = {"state": "failed", "failure_code": code, "failure_reason": reason, "failed_at": utcnow()}
        return self._move(payment_id, ("charging",), values)

    def start_refund(self, payment_id, request, reason):
        record = self.records[payment_id]
        values = {
            "state": "refunding",
            "refund_request": request,
            "refund_reason": reason,
            "refund_failure_code": None,
            "refund_failure_reason": None,
            "refund_attempts": record.refund_attempts + 1,
        }
        return self._move(payment_id, ("paid", "refunding"), values)

    def record_refunded(self, payment_id, refunded_at):
        return self._move(payment_id, ("refunding",), {"state": "refunded", "refunded_at": refunded_at})

    def record_refund_failed(self, payment_id, code, reason):
        values = {"state": "paid", "refund_failure_code": code, "refund_failure_reason": reason}
        return self._move(payment_id, ("refunding",), values)

    def _move(self, payment_id, sources, values):
        record = self.records[payment_id]
        if record.state in sources:
            record = dataclasses.replace(record, **values, updated_at=utcnow())
            self.records[payment_id] = record
        return record


class FakeProvider:
    """Answers from a script (an exception is raised), else approves; records every call."""

    def __init__(self, name: str = "fake"):
        self.name = name
        self.charges: list[dict] = []
        self.refunds: list[dict] = []
        self.charge_answers: collections.deque = collections.deque()
        self.refund_answers: collections.deque = collections.deque()

    def charge(self, **request):
        self.charges.append(request)
        answer = self.charge_answers.popleft() if self.charge_answers else None
        if isinstance(answer, Exception):
            raise answer
        return answer or Charged(f"tx-{request['payment_id']}", request["amount"], APPROVED_AT)

    def refund(self, **request):
        self.refunds.append(request)
        answer = self.refund_answers.popleft() if self.refund_answers else None
        if isinstance(answer, Exception):
            raise answer
        return answer or Refunded(request["amount"], APPROVED_AT)


class FakeReporter:
    """Records the events it was asked to deliver, each held to its contract; answers `outcome` (Ack unless changed)."""

    def __init__(self):
        self.sent: list[PaymentEvent] = []
        self.outcome: Outcome = Ack()

    def deliver(self, event: PaymentEvent) -> Outcome:
        event.check()
        self.sent.append(event)
        return self.outcome
