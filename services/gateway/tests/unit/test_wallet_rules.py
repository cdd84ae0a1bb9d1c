"""The wallet's rules through a fake unit of work: never below zero, each effect once, refunds of what was spent."""

import uuid

import pytest
from fake_uow import FakeUnitOfWork
from fake_wallet import FakeWalletStore

from gateway.platform.errors import NotFound, PaymentRequired
from gateway.wallet import service as wallet
from gateway.wallet.store import Package

USER = uuid.uuid4()
PACKAGES = [
    Package("small", "Small", 100, 0, 1000),
    Package("big", "Big", 1000, 100, 9000),
    Package("old", "Old", 5, 0, 1, False),
]


@pytest.fixture
def store():
    return FakeWalletStore(PACKAGES)


@pytest.fixture
def uow(store):
    return FakeUnitOfWork(store)


def test_a_grant_counts_once_per_reference(uow, store):
    first = wallet.grant(uow, USER, 100, "gift-1", "welcome")
    again = wallet.grant(uow, USER, 100, "gift-1", "welcome")
    assert (first.applied, first.balance) == (True, 100)
    assert (again.applied, again.balance) == (False, 100)
    assert [(e.type, e.amount, e.balance_after) for e in store.ledger] == [("grant", 100, 100)]


def test_a_spend_counts_once_per_piece_of_work(uow):
    wallet.grant(uow, USER, 100, "gift", "welcome")
    first = wallet.spend_for_work(uow, USER, 60, "generation-1", "an image")
    again = wallet.spend_for_work(uow, USER, 60, "generation-1", "an image")
    assert (first.applied, first.balance, again.applied, again.balance) == (True, 40, False, 40)


def test_spending_more_than_the_balance_is_refused_and_changes_nothing(uow, store):
    wallet.grant(uow, USER, 50, "gift", "welcome")
    with pytest.raises(PaymentRequired, match="needs 60 tokens; the balance is 50"):
        wallet.spend_for_work(uow, USER, 60, "generation-1", "an image")
    assert wallet.get_balance(uow, USER) == 50
    assert [e.type for e in store.ledger] == ["grant"]  # the refused spend left no entry behind


def test_a_user_without_a_wallet_cannot_spend(uow):
    with pytest.raises(PaymentRequired):
        wallet.spend_for_work(uow, USER, 1, "generation-1", "an image")
    assert wallet.get_balance(uow, USER) == 0


def test_a_refund_gives_back_what_was_spent_once(uow):
    wallet.grant(uow, USER, 100, "gift", "welcome")
    wallet.spend_for_work(uow, USER, 60, "generation-1", "an image")
    refunds = [wallet.refund_work(uow, USER, "generation-1", "failed") for _ in range(2)]
    assert [(r.applied, r.balance) for r in refunds] == [(True, 100), (False, 100)]


def test_nothing_is_refunded_for_work_never_paid_for(uow, store):
    wallet.grant(uow, USER, 100, "gift", "welcome")
    assert wallet.refund_work(uow, USER, "never-spent", "failed").applied is False
    assert wallet.get_balance(uow, USER) == 100 and len(store.ledger) == 1


def test_the_ledger_reads_newest_first_by_cursor_and_type(uow):
    wallet.grant(uow, USER, 100, "gift", "welcome")
    for i in range(3):
        wallet.spend_for_work(uow, USER, 10, f"work-{i}", f"work {i}")
    page = wallet.list_transactions(uow, USER, 2, None, None)
    assert [e.reference for e in page] == ["work-2", "work-1"]
    assert [e.balance_after for e in page] == [70, 80]
    assert [e.reference for e in wallet.list_transactions(uow, USER, 5, page[-1].id, None)] == ["work-0", "gift"]
    assert [e.type for e in wallet.list_transactions(uow, USER, 5, None, "grant")] == ["grant"]


def test_only_active_packages_are_for_sale_cheapest_first(uow):
    assert [p.id for p in wallet.list_packages(uow)] == ["small", "big"]


def test_a_purchase_is_a_pending_payment_and_its_charge_command(uow, store):
    payment = wallet.purchase(uow, USER, "big", None, "card", 10)
    assert (payment.status, payment.amount, payment.item_title) == ("pending", 9000, "Big")
    assert [m.payment_id for m in store.messages] == [str(payment.id)] and store.payments == [payment.id]
    assert wallet.tokens_bought(store, payment) == 1100  # the bonus included
    by_amount = wallet.purchase(uow, USER, None, 300, "card", 10)
    assert (by_amount.amount, wallet.tokens_bought(store, by_amount)) == (3000, 300)


@pytest.mark.parametrize("package_id", ["old", "missing"])
def test_an_inactive_or_unknown_package_cannot_be_bought(uow, store, package_id):
    with pytest.raises(NotFound):
        wallet.purchase(uow, USER, package_id, None, "card", 10)
    assert store.payments == [] and store.messages == []
