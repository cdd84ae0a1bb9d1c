"""The sandbox provider's books and the payment record, on the service's real Postgres database."""

import threading
import uuid

import pytest
from payments_fakes import charge
from sqlalchemy import select

from payments.providers.base import Charged, Declined, Refunded, TransientProviderError
from payments.providers.sandbox import SandboxProvider
from payments.store import PaymentStore, utcnow
from payments.tables import sandbox_charges


@pytest.fixture
def payment_id():
    return str(uuid.uuid4())


def sandbox_row(engine, payment_id):
    with engine.connect() as conn:
        return conn.execute(select(sandbox_charges).where(sandbox_charges.c.idempotency_key == payment_id)).first()


def sandbox_charge(provider, payment_id, amount=15000, card=None):
    return provider.charge(
        payment_id=payment_id, amount=amount, currency="KRW", method="card", order_name="x", card_number=card
    )


def test_the_sandbox_charges_once_per_key_across_replicas(payments_engine, payment_id):
    replicas = [SandboxProvider(payments_engine) for _ in range(8)]
    results = []
    threads = [threading.Thread(target=lambda p=p: results.append(sandbox_charge(p, payment_id))) for p in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert len(results) == 8 and len(set(results)) == 1 and isinstance(results[0], Charged)
    row = sandbox_row(payments_engine, payment_id)
    assert row.status == "paid" and row.requests == 8 and row.transaction_id == results[0].transaction_id


def test_the_sandbox_remembers_after_a_restart(payments_engine, payment_id):
    first = sandbox_charge(SandboxProvider(payments_engine), payment_id)

    after_restart = sandbox_charge(SandboxProvider(payments_engine), payment_id)

    assert after_restart == first


def test_a_decline_is_remembered_too(payments_engine, payment_id):
    declined = sandbox_charge(SandboxProvider(payments_engine), payment_id, amount=15013)

    assert declined.code == "insufficient_funds"
    assert sandbox_charge(SandboxProvider(payments_engine), payment_id, amount=15013) == declined
    assert sandbox_row(payments_engine, payment_id).status == "declined"


def test_the_same_key_with_another_amount_is_refused(payments_engine, payment_id):
    sandbox_charge(SandboxProvider(payments_engine), payment_id, amount=15000)

    result = sandbox_charge(SandboxProvider(payments_engine), payment_id, amount=20000)

    assert isinstance(result, Declined) and result.code == "idempotency_key_reused"


def test_the_error_card_moves_nothing(payments_engine, payment_id):
    with pytest.raises(TransientProviderError):
        sandbox_charge(SandboxProvider(payments_engine), payment_id, card="4000000000000119")

    assert sandbox_row(payments_engine, payment_id) is None


def test_a_refund_cancels_once_and_answers_the_same_again(payments_engine, payment_id):
    provider = SandboxProvider(payments_engine)
    charged = sandbox_charge(provider, payment_id)

    request = {"payment_id": payment_id, "provider_transaction_id": charged.transaction_id, "amount": 15000}
    first = provider.refund(**request, reason="r")
    again = provider.refund(**request, reason="r")

    assert isinstance(first, Refunded) and first == again
    row = sandbox_row(payments_engine, payment_id)
    assert row.status == "cancelled" and row.cancel_reason == "r"


def test_refunds_of_what_was_not_charged_are_declined(payments_engine, payment_id):
    provider = SandboxProvider(payments_engine)
    unknown = provider.refund(payment_id=payment_id, provider_transaction_id="sbx_x", amount=1, reason="r")
    assert unknown.code == "not_found_payment"
    declined = sandbox_charge(provider, payment_id, amount=113)
    assert isinstance(declined, Declined)
    row = sandbox_row(payments_engine, payment_id)
    refused = provider.refund(payment_id=payment_id, provider_transaction_id=row.transaction_id, amount=113, reason="r")
    assert refused.code == "not_cancelable_payment"


def test_the_record_moves_forward_only(payments_engine, payment_id):
    store = PaymentStore(payments_engine)
    command = charge(payment_id=payment_id)

    assert store.start_charge(command, "sandbox").charge_attempts == 1
    assert store.start_charge(command, "sandbox").charge_attempts == 2
    paid = store.record_paid(payment_id, "tx-1", utcnow())
    assert paid.state == "paid" and paid.provider_transaction_id == "tx-1"

    assert store.start_charge(command, "sandbox").charge_attempts == 2  # settled: no attempt counted
    assert store.record_paid(payment_id, "tx-2", utcnow()).provider_transaction_id == "tx-1"
    assert store.record_failed(payment_id, "declined", "late").state == "paid"

    refunding = store.start_refund(payment_id, "req-1", "reason")
    assert refunding.state == "refunding" and refunding.refund_attempts == 1
    assert store.record_refund_failed(payment_id, "declined", "no").state == "paid"
    assert store.start_refund(payment_id, "req-2", "again").refund_attempts == 2
    refunded = store.record_refunded(payment_id, utcnow())
    assert refunded.state == "refunded" and refunded.refund_failure_code is None
    assert store.start_refund(payment_id, "req-3", "third").state == "refunded"
    assert store.record_refund_failed(payment_id, "declined", "late").state == "refunded"


def test_two_replicas_recording_the_same_outcome_keep_the_first(payments_engine, payment_id):
    store = PaymentStore(payments_engine)
    store.start_charge(charge(payment_id=payment_id), "sandbox")
    results = []
    threads = [
        threading.Thread(target=lambda n=n: results.append(store.record_paid(payment_id, f"tx-{n}", utcnow())))
        for n in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert len({r.provider_transaction_id for r in results}) == 1
