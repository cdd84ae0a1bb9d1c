"""RefundPayment handling with fakes at the ports: one refund per payment, re-reports on redelivery."""

import pytest
from payments_fakes import APPROVED_AT, FakeProvider, FakeReporter, InMemoryStore, charge, delivery, refund

from payments.handlers.charge_payment import ChargePaymentHandler
from payments.handlers.refund_payment import RefundPaymentHandler
from payments.providers.base import Declined, TransientProviderError
from shared.amqp.outcomes import Ack, DeadLetter, Retry


@pytest.fixture
def store():
    return InMemoryStore()


@pytest.fixture
def provider():
    return FakeProvider()


@pytest.fixture
def reporter():
    return FakeReporter()


@pytest.fixture
def paid(store, provider, reporter):
    """pay-1 charged and reported; the reporter's log cleared."""
    ChargePaymentHandler(store, provider, reporter)(delivery(charge()))
    reporter.sent.clear()
    return store.get("pay-1")


@pytest.fixture
def handle(store, provider, reporter):
    return RefundPaymentHandler(store, provider, reporter)


def test_a_paid_payment_is_refunded_once_even_if_redelivered(handle, paid, store, provider, reporter):
    assert handle(delivery(refund())) == Ack()
    assert handle(delivery(refund())) == Ack()

    assert provider.refunds == [
        {"payment_id": "pay-1", "provider_transaction_id": "tx-pay-1", "amount": 15000, "reason": "changed my mind"}
    ]
    record = store.get("pay-1")
    assert record.state == "refunded" and record.refund_attempts == 1 and record.refunded_at == APPROVED_AT
    assert [e.id for e in reporter.sent] == ["pay-1:refunded", "pay-1:refunded"]
    assert reporter.sent[0].data == {
        "provider_transaction_id": "tx-pay-1",
        "amount": 15000,
        "cancelled_at": APPROVED_AT.isoformat(),
        "reason": "changed my mind",
    }


def test_a_refused_refund_is_reported_once_per_request(handle, paid, store, provider, reporter):
    provider.refund_answers.append(Declined("NOT_CANCELABLE_PAYMENT", "취소할 수 없는 결제입니다."))
    first = refund(requested_at="2026-01-03T00:00:00+00:00")

    assert handle(delivery(first)) == Ack()
    assert handle(delivery(first)) == Ack()  # redelivered: no second provider call

    assert len(provider.refunds) == 1
    assert store.get("pay-1").state == "paid"
    assert [e.id for e in reporter.sent] == ["pay-1:refund_failed:2026-01-03T00:00:00+00:00"] * 2
    assert reporter.sent[0].data["code"] == "declined"

    second = refund(requested_at="2026-01-04T00:00:00+00:00")
    assert handle(delivery(second)) == Ack()  # a new request may succeed
    assert len(provider.refunds) == 2 and store.get("pay-1").state == "refunded"
    assert reporter.sent[-1].id == "pay-1:refunded"


def test_a_transient_refund_error_retries(handle, paid, store, provider, reporter):
    provider.refund_answers.append(TransientProviderError("toss: timed out", code="timeout"))

    assert isinstance(handle(delivery(refund())), Retry)
    assert store.get("pay-1").state == "refunding" and reporter.sent == []
    assert handle(delivery(refund(), attempt=2)) == Ack()
    assert store.get("pay-1").state == "refunded" and store.get("pay-1").refund_attempts == 2


def test_a_refund_waits_for_a_charge_still_in_progress(handle, store, provider, reporter):
    store.start_charge(charge(), "fake")

    assert isinstance(handle(delivery(refund())), Retry)
    assert provider.refunds == [] and reporter.sent == []


@pytest.mark.parametrize(
    ("setup", "amount", "code"),
    [("none", 15000, "not_found"), ("failed", 15000, "not_paid"), ("paid", 9000, "amount_mismatch")],
)
def test_nothing_to_refund_is_reported_as_refund_failed(handle, store, provider, reporter, setup, amount, code):
    if setup != "none":
        store.start_charge(charge(), "fake")
        if setup == "failed":
            store.record_failed("pay-1", "declined", "no")
        else:
            store.record_paid("pay-1", "tx-pay-1", APPROVED_AT)

    assert handle(delivery(refund(amount=amount))) == Ack()

    assert provider.refunds == []
    [event] = reporter.sent
    assert event.type == "payment.refund_failed" and event.data["code"] == code


def test_a_poison_refund_is_dead_lettered(handle, provider):
    outcome = handle(delivery(refund(), body=b'{"version": 1}'))

    assert isinstance(outcome, DeadLetter) and provider.refunds == []
