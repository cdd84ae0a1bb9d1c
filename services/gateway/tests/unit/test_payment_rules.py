"""Payments through a fake unit of work: a payment only moves forward, a seat is held once, tokens credited once."""

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from fake_payments import FakePaymentStore
from fake_reports import FakeReceiptStore
from fake_uow import FakeUnitOfWork
from fake_wallet import FakeWalletStore

from gateway.payments import service as payments
from gateway.payments.reports import record_payment_events
from gateway.platform.errors import Conflict, InvalidInput, NotFound
from gateway.wallet import service as wallet
from gateway.wallet.store import Package

USER, OTHER = uuid.uuid4(), uuid.uuid4()
NOW = datetime.now(UTC)
EXAM = SimpleNamespace(title="Exam", price=5000, start_at=NOW - timedelta(days=1), end_at=NOW + timedelta(days=1))
FREE = SimpleNamespace(title="Free", price=0, start_at=NOW - timedelta(days=1), end_at=NOW + timedelta(days=1))
OVER = SimpleNamespace(title="Over", price=0, start_at=NOW - timedelta(days=3), end_at=NOW - timedelta(days=2))
TEST = payments.KINDS["test"]


@pytest.fixture
def store():
    return FakePaymentStore({("test", 1): EXAM, ("test", 2): FREE, ("test", 3): OVER})


@pytest.fixture
def tokens():
    return FakeWalletStore([Package("small", "Small", 100, 10, 1000)])


@pytest.fixture
def uow(store, tokens):
    return FakeUnitOfWork(FakeReceiptStore(), store, tokens)


def report(uow, payment_id, kind: str, n: int = 0, **data) -> str:
    event = {"id": f"{payment_id}:{kind}:{n}", "type": f"payment.{kind}", "payment_id": payment_id, "data": data}
    return record_payment_events(uow, f"w-{uuid.uuid4()}", [event])["results"][0]["result"]


def apply(uow, item="1", price=5000):
    return payments.register(uow, USER, TEST, item, price, "card")


def test_applying_holds_a_seat_with_a_pending_payment_and_its_charge(uow, store):
    registered = apply(uow)
    assert (registered.registration.status, registered.payment.status) == ("applied", "pending")
    assert store.counts[("test", 1)] == 1 and [m.payment_id for m in store.messages] == [str(registered.payment.id)]


def test_a_free_item_needs_no_payment(uow, store):
    registered = apply(uow, "2", 0)
    assert registered.payment is None and store.messages == []


def test_applying_twice_is_a_conflict_and_holds_one_seat(uow, store):
    apply(uow)
    with pytest.raises(Conflict):
        apply(uow)
    assert store.counts[("test", 1)] == 1 and len(store.payments_by_id) == 1  # the second one left nothing


@pytest.mark.parametrize(
    ("item", "price", "error"), [("1", 10, InvalidInput), ("3", 0, InvalidInput), ("9", 0, NotFound)]
)
def test_a_wrong_price_a_closed_window_or_an_unknown_item_is_refused(uow, store, item, price, error):
    with pytest.raises(error):
        apply(uow, item, price)
    assert store.registrations == {} and store.payments_by_id == {}


def test_a_payment_only_moves_forward(uow, store):
    payment = apply(uow).payment
    assert report(uow, payment.id, "refunded") == "stale"  # not paid yet
    assert report(uow, payment.id, "paid") == "applied"
    assert [report(uow, payment.id, kind) for kind in ("paid", "failed", "refund_failed")] == ["stale"] * 3
    assert store.payment(payment.id).status == "paid"
    assert report(uow, uuid.uuid4(), "paid") == "not_found"


def test_a_failed_payment_gives_the_seat_back_so_the_user_may_apply_again(uow, store):
    payment = apply(uow).payment
    assert report(uow, payment.id, "failed", reason="declined", code="D1") == "applied"
    assert store.payment(payment.id).failure_reason == "declined (D1)"
    assert store.own_registration(TEST, USER, 1).status == "cancelled" and store.counts[("test", 1)] == 0
    assert apply(uow).registration.status == "applied" and store.counts[("test", 1)] == 1


def test_paid_tokens_are_credited_once(uow, store, tokens):
    payment = wallet.purchase(uow, USER, "small", None, "card", 10)
    store.add_payment(payment)  # the wallet's fake keeps its own record of the payment it added
    assert report(uow, payment.id, "paid") == "applied"
    assert report(uow, payment.id, "paid", 1) == "stale"
    assert tokens.balance(USER) == 110
    assert [kind for _, kind, *_ in store.told] == ["tokens.credited", "payment.paid"]


def test_a_replayed_report_gets_the_first_answer_and_changes_nothing(uow, store):
    payment = apply(uow).payment
    event = {"id": "e1", "type": "payment.paid", "payment_id": payment.id, "data": {}}
    first = record_payment_events(uow, "w1", [event])
    store.payment(payment.id).status = "pending"  # were it applied again, it would be applied
    assert record_payment_events(uow, "w1", [event]) == {**first, "replayed": True}
    assert store.payment(payment.id).status == "pending"


def test_only_a_paid_uncompleted_registration_is_cancelled_with_its_refund(uow, store):
    payment = apply(uow).payment
    with pytest.raises(Conflict, match="only a paid payment"):
        payments.cancel(uow, USER, str(payment.id), "changed my mind")
    report(uow, payment.id, "paid")
    with pytest.raises(NotFound):
        payments.cancel(uow, OTHER, str(payment.id), "not mine")
    cancelled = payments.cancel(uow, USER, str(payment.id), "changed my mind")
    assert cancelled.refund_reason == "changed my mind" and store.counts[("test", 1)] == 0
    assert store.messages[-1].amount == 5000
    with pytest.raises(Conflict, match="already cancelled"):
        payments.cancel(uow, USER, str(payment.id), "again")
    assert report(uow, payment.id, "refunded") == "applied" and store.payment(payment.id).status == "cancelled"


def test_a_completed_registration_keeps_its_payment(uow):
    payment = apply(uow).payment
    with pytest.raises(Conflict, match="completed once it is paid"):
        payments.complete(uow, USER, TEST, "1")
    report(uow, payment.id, "paid")
    assert payments.complete(uow, USER, TEST, "1").status == "completed"
    with pytest.raises(Conflict, match="can no longer be cancelled"):
        payments.cancel(uow, USER, str(payment.id), "too late")


def test_token_purchases_cannot_be_cancelled(uow, store):
    payment = wallet.purchase(uow, USER, "small", None, "card", 10)
    store.add_payment(payment)
    report(uow, payment.id, "paid")
    with pytest.raises(Conflict, match="cannot be cancelled"):
        payments.cancel(uow, USER, str(payment.id), "no")
