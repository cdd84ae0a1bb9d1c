"""The payments service on the real broker and its real database, reporting to a signature-checking receiver."""

import json
import uuid

import pytest
from payments_broker import QUEUE, declare_fresh, depth, publish, running, service_settings, take_dead
from payments_fakes import charge, refund
from sqlalchemy import select

from payments.store import PaymentStore
from payments.tables import sandbox_charges
from shared.testing import wait_until

TOSS_SECRET = "test_sk_standin"


@pytest.fixture
def payment_id():
    return str(uuid.uuid4())


@pytest.fixture
def settings(amqp_url, payments_database_url, receiver, payments_webhook_secret):
    declare_fresh(amqp_url)
    return service_settings(amqp_url, payments_database_url, receiver.url, payments_webhook_secret)


@pytest.fixture
def store(payments_engine):
    return PaymentStore(payments_engine)


def sandbox_requests(engine, payment_id) -> int:
    """How many charge calls the sandbox provider received for this key (0 if none)."""
    with engine.connect() as conn:
        row = conn.execute(select(sandbox_charges).where(sandbox_charges.c.idempotency_key == payment_id)).first()
    return row.requests if row else 0


def test_a_charge_is_paid_reported_once_and_acked(settings, amqp_url, receiver, store, payments_engine, payment_id):
    with running(settings):
        publish(amqp_url, charge(payment_id=payment_id))
        [event] = receiver.wait_for_events(payment_id)

    assert event["id"] == f"{payment_id}:paid" and event["type"] == "payment.paid"
    record = store.get(payment_id)
    assert record.state == "paid" and record.charge_attempts == 1
    assert event["data"] == {
        "provider": "sandbox",
        "provider_transaction_id": record.provider_transaction_id,
        "amount": 15000,
        "paid_at": record.paid_at.isoformat(),
    }
    assert sandbox_requests(payments_engine, payment_id) == 1
    assert receiver.rejected_signatures == 0
    assert depth(amqp_url, QUEUE.name) == 0 and take_dead(amqp_url) == []


@pytest.mark.parametrize(
    ("overrides", "provider_code"),
    [({"amount": 15013}, "insufficient_funds"), ({"card_number": "4000000000000002"}, "card_declined")],
    ids=["amount-rule", "magic-card"],
)
def test_a_decline_is_reported_as_failed(settings, amqp_url, receiver, store, payment_id, overrides, provider_code):
    with running(settings):
        publish(amqp_url, charge(payment_id=payment_id, **overrides))
        [event] = receiver.wait_for_events(payment_id)

    assert event["id"] == f"{payment_id}:failed" and event["type"] == "payment.failed"
    assert event["data"]["code"] == "declined" and event["data"]["reason"].startswith(provider_code)
    assert store.get(payment_id).state == "failed"


def test_a_redelivered_charge_is_not_charged_again_only_re_reported(
    settings, amqp_url, receiver, store, payments_engine, payment_id
):
    message = charge(payment_id=payment_id)
    with running(settings):
        message_id = publish(amqp_url, message)
        receiver.wait_for_events(payment_id, 1)
        publish(amqp_url, message, message_id=message_id)  # the same message, delivered again
        events = receiver.wait_for_events(payment_id, 2)

    assert [e["id"] for e in events] == [f"{payment_id}:paid"] * 2
    assert events[0] == events[1]
    assert sandbox_requests(payments_engine, payment_id) == 1  # the provider was asked once
    assert store.get(payment_id).charge_attempts == 1
    assert len(receiver.applied_for(payment_id)) == 1


def test_simultaneous_copies_charge_once(settings, amqp_url, receiver, store, payments_engine, payment_id):
    message = charge(payment_id=payment_id)
    with running(settings):
        for _ in range(3):
            publish(amqp_url, message, message_id="same")
        events = receiver.wait_for_events(payment_id, 3)

    assert {e["id"] for e in events} == {f"{payment_id}:paid"}
    assert {e["data"]["provider_transaction_id"] for e in events} == {store.get(payment_id).provider_transaction_id}
    assert 1 <= sandbox_requests(payments_engine, payment_id) <= 3  # copies may ask; the key keeps it one charge


def test_the_webhook_is_retried_with_the_same_id_until_the_gateway_accepts(settings, amqp_url, receiver, payment_id):
    receiver.unavailable = 3
    with running(settings):
        publish(amqp_url, charge(payment_id=payment_id))
        [event] = receiver.wait_for_events(payment_id)

    assert len(receiver.attempts) == 4 and len(set(receiver.attempts)) == 1
    assert event["type"] == "payment.paid"


def test_a_refund_after_paid_is_refunded_once_even_if_redelivered(
    settings, amqp_url, receiver, store, payments_engine, payment_id
):
    command = refund(payment_id=payment_id)
    with running(settings):
        publish(amqp_url, charge(payment_id=payment_id))
        receiver.wait_for_events(payment_id, 1)
        message_id = publish(amqp_url, command)
        receiver.wait_for_events(payment_id, 2)
        publish(amqp_url, command, message_id=message_id)
        events = receiver.wait_for_events(payment_id, 3)

    assert [e["id"] for e in events] == [f"{payment_id}:paid", f"{payment_id}:refunded", f"{payment_id}:refunded"]
    record = store.get(payment_id)
    assert record.state == "refunded" and record.refund_attempts == 1
    assert events[1]["data"] == {
        "provider_transaction_id": record.provider_transaction_id,
        "amount": 15000,
        "cancelled_at": record.refunded_at.isoformat(),
        "reason": "changed my mind",
    }
    with payments_engine.connect() as conn:
        status = conn.execute(
            select(sandbox_charges.c.status).where(sandbox_charges.c.idempotency_key == payment_id)
        ).scalar()
    assert status == "cancelled"
    assert [e["type"] for e in receiver.applied_for(payment_id)] == ["payment.paid", "payment.refunded"]


def test_a_malformed_message_goes_straight_to_dead(settings, amqp_url, receiver, payment_id):
    with running(settings):
        message_id = publish(amqp_url, charge(payment_id=payment_id), body=b'{"version": 1, "amount": "lots"}')
        dead = wait_until(lambda: take_dead(amqp_url), timeout=10)

    assert [props.message_id for props, _ in dead] == [message_id]
    assert receiver.deliveries == []


def test_a_charge_that_keeps_failing_goes_to_dead_after_the_retry_ladder(
    settings, amqp_url, receiver, store, payments_engine, payment_id
):
    with running(settings):
        message_id = publish(amqp_url, charge(payment_id=payment_id, card_number="4000000000000119"))
        dead = wait_until(lambda: take_dead(amqp_url), timeout=20)

    [(props, body)] = dead
    assert props.message_id == message_id and json.loads(body)["payment_id"] == payment_id
    assert props.headers["x-attempt"] == QUEUE.max_attempts  # 1 + one per retry step
    record = store.get(payment_id)
    assert record.state == "charging" and record.charge_attempts == QUEUE.max_attempts  # unknown: an operator re-drives
    assert sandbox_requests(payments_engine, payment_id) == 0
    assert receiver.deliveries == []


def test_an_unknown_message_type_goes_to_dead(settings, amqp_url, receiver):
    class ChargeBitcoin(type(charge())):
        TYPE = "ChargeBitcoin"

    with running(settings):
        message_id = publish(amqp_url, ChargeBitcoin(**charge().__dict__))
        dead = wait_until(lambda: take_dead(amqp_url), timeout=10)

    assert [props.message_id for props, _ in dead] == [message_id]


def test_a_toss_timeout_is_retried_and_paid_once_at_the_provider(
    settings, amqp_url, receiver, store, toss_standin, payment_id
):
    toss = settings.model_copy(
        update={
            "payment_provider": "toss",
            "toss_base_url": toss_standin.url,
            "toss_secret_key": TOSS_SECRET,
            "toss_timeout_seconds": 0.5,
        }
    )
    toss_standin.script_charges([("hang", 3.0)])
    with running(toss):
        publish(amqp_url, charge(payment_id=payment_id))
        [event] = receiver.wait_for_events(payment_id)

    requests = toss_standin.charge_requests(payment_id)
    assert len(requests) == 2 and {r.idempotency_key for r in requests} == {payment_id}
    assert toss_standin.charge_count(payment_id) == 1
    assert event["type"] == "payment.paid"
    assert event["data"]["provider"] == "toss"
    assert event["data"]["provider_transaction_id"] == toss_standin.payment_for(payment_id)["paymentKey"]
    assert store.get(payment_id).charge_attempts == 2


def test_a_toss_decline_is_a_final_failure(settings, amqp_url, receiver, store, toss_standin, payment_id):
    toss = settings.model_copy(
        update={"payment_provider": "toss", "toss_base_url": toss_standin.url, "toss_secret_key": TOSS_SECRET}
    )
    toss_standin.script_charges([("decline", "REJECT_CARD_COMPANY", "카드사에서 거절한 결제입니다.")])
    with running(toss):
        publish(amqp_url, charge(payment_id=payment_id))
        [event] = receiver.wait_for_events(payment_id)

    assert event["type"] == "payment.failed" and event["data"]["reason"].startswith("REJECT_CARD_COMPANY")
    assert len(toss_standin.charge_requests(payment_id)) == 1 and toss_standin.charge_count(payment_id) == 0
