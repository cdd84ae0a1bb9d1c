"""ChargePayment handling with fakes at the ports: one provider call per payment, re-reports on redelivery."""

import pytest
from payments_fakes import APPROVED_AT, FakeProvider, FakeReporter, InMemoryStore, charge, delivery

from payments.handlers.charge_payment import ChargePaymentHandler
from payments.providers.base import Declined, MisconfiguredProviderError, TransientProviderError
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
def handle(store, provider, reporter):
    return ChargePaymentHandler(store, provider, reporter)


def test_a_charge_is_made_recorded_and_reported(handle, store, provider, reporter):
    assert handle(delivery(charge())) == Ack()

    assert provider.charges == [
        {
            "payment_id": "pay-1",
            "amount": 15000,
            "currency": "KRW",
            "method": "card",
            "order_name": "TOEIC 2026-03",
            "card_number": None,
        }
    ]
    record = store.get("pay-1")
    assert record.state == "paid" and record.provider_transaction_id == "tx-pay-1" and record.paid_at == APPROVED_AT
    [event] = reporter.sent
    assert event.id == "pay-1:paid" and event.type == "payment.paid" and event.payment_id == "pay-1"
    assert event.data == {
        "provider": "fake",
        "provider_transaction_id": "tx-pay-1",
        "amount": 15000,
        "paid_at": APPROVED_AT.isoformat(),
    }


def test_a_redelivered_charge_only_re_reports(handle, provider, reporter):
    handle(delivery(charge()))
    assert handle(delivery(charge(), attempt=1)) == Ack()
    assert handle(delivery(charge(), attempt=2)) == Ack()

    assert len(provider.charges) == 1
    assert [e.id for e in reporter.sent] == ["pay-1:paid"] * 3
    assert reporter.sent[0].to_dict() == reporter.sent[2].to_dict()


def test_a_decline_is_a_final_failure_and_is_not_retried(handle, store, provider, reporter):
    provider.charge_answers.append(Declined("REJECT_CARD_COMPANY", "카드사에서 거절했습니다."))

    assert handle(delivery(charge())) == Ack()
    assert handle(delivery(charge())) == Ack()

    assert len(provider.charges) == 1
    assert store.get("pay-1").state == "failed"
    assert [e.id for e in reporter.sent] == ["pay-1:failed", "pay-1:failed"]
    assert reporter.sent[0].data == {"reason": "REJECT_CARD_COMPANY: 카드사에서 거절했습니다.", "code": "declined"}


def test_a_transient_error_retries_with_the_same_key_and_reports_nothing_until_settled(
    handle, store, provider, reporter
):
    provider.charge_answers.append(TransientProviderError("toss: timed out", code="timeout"))

    outcome = handle(delivery(charge()))

    assert isinstance(outcome, Retry) and "timeout" in outcome.reason
    assert store.get("pay-1").state == "charging" and reporter.sent == []
    assert handle(delivery(charge(), attempt=2)) == Ack()
    assert [c["payment_id"] for c in provider.charges] == ["pay-1", "pay-1"]
    assert store.get("pay-1").charge_attempts == 2
    assert [e.type for e in reporter.sent] == ["payment.paid"]


def test_a_transient_error_on_the_last_attempt_is_left_to_the_ladder(handle, store, provider, reporter):
    provider.charge_answers.append(TransientProviderError("toss: HTTP 503", code="provider_unavailable"))

    outcome = handle(delivery(charge(), attempt=4, max_attempts=4))

    assert isinstance(outcome, Retry)  # the runner dead-letters it: the charge may have happened, so no `failed`
    assert store.get("pay-1").state == "charging" and reporter.sent == []


def test_a_misconfigured_provider_dead_letters_without_failing_the_payment(handle, store, provider, reporter):
    provider.charge_answers.append(MisconfiguredProviderError("toss: HTTP 401 UNAUTHORIZED_KEY", code="misconfigured"))

    outcome = handle(delivery(charge()))

    assert isinstance(outcome, DeadLetter) and "re-drive" in outcome.reason
    assert store.get("pay-1").state == "charging" and reporter.sent == []


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"version": 1, "payment_id": "p"}', b'{"version": 2}'],
    ids=["not-json", "not-object", "missing-fields", "wrong-version"],
)
def test_a_poison_message_is_dead_lettered_untouched(handle, provider, reporter, body):
    outcome = handle(delivery(charge(), body=body))

    assert isinstance(outcome, DeadLetter) and "poison" in outcome.reason
    assert provider.charges == [] and reporter.sent == []


@pytest.mark.parametrize("payment_id", [5, "", "x" * 65], ids=["number", "empty", "too-long"])
def test_a_payment_id_that_cannot_be_a_key_is_poison(handle, provider, reporter, payment_id):
    outcome = handle(delivery(charge(payment_id=payment_id)))

    assert isinstance(outcome, DeadLetter) and provider.charges == [] and reporter.sent == []


@pytest.mark.parametrize(
    "overrides",
    [{"amount": -100}, {"amount": "15000"}, {"amount": 0}, {"method": "bitcoin"}, {"currency": "won"}],
    ids=["negative", "string", "zero", "method", "currency"],
)
def test_an_invalid_charge_is_reported_failed_without_asking_the_provider(handle, store, provider, reporter, overrides):
    assert handle(delivery(charge(**overrides))) == Ack()

    assert provider.charges == [] and store.get("pay-1") is None
    [event] = reporter.sent
    assert event.id == "pay-1:failed" and event.data["code"] == "invalid_request"


def test_the_gateways_refusal_is_the_outcome(handle, reporter):
    reporter.outcome = DeadLetter("the gateway has no payment pay-1")

    assert handle(delivery(charge())) == DeadLetter("the gateway has no payment pay-1")


def test_a_payment_started_at_another_provider_is_not_charged_here(store, reporter):
    store.start_charge(charge(), "sandbox")
    toss = FakeProvider("toss")

    outcome = ChargePaymentHandler(store, toss, reporter)(delivery(charge()))

    assert isinstance(outcome, DeadLetter) and toss.charges == []


def test_a_second_amount_for_the_same_payment_is_not_charged(handle, provider):
    handle(delivery(charge(amount=15000)))

    outcome = handle(delivery(charge(amount=99000)))

    assert isinstance(outcome, DeadLetter) and len(provider.charges) == 1
