"""Use cases of paid registrations: apply or enroll with a payment, complete, cancel with a refund, list.

One transaction records the registration, a `pending` payment with a snapshot
of the item, and a ChargePayment command in the outbox. The registration is
unique per (user, item): a concurrent second application waits on the first
one's row and then finds it taken (409), so one user is charged once.
"""

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from gateway.catalog.models import Course, CourseRegistration, Exam, TestRegistration
from gateway.payments.models import Payment
from gateway.payments.store import PaymentStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Conflict, InvalidInput, NotFound
from shared.messages import ChargePayment, RefundPayment


@dataclass(frozen=True)
class Kind:
    """What differs between exams and courses."""

    name: str
    item: type
    registration: type
    item_column: str
    active_status: str
    joined_column: str
    verb: str


KINDS = {
    "test": Kind("test", Exam, TestRegistration, "test_id", "applied", "applied_at", "apply"),
    "course": Kind("course", Course, CourseRegistration, "course_id", "enrolled", "enrolled_at", "enroll"),
}


@dataclass(frozen=True)
class Registered:
    registration: object
    payment: Payment | None


def parse_item_id(raw: str, kind: Kind) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise NotFound(f"'{raw[:64]}' is not a {kind.name} id (ids are integers)") from None
    if not 0 < value < 2**63:
        raise NotFound(f"no {kind.name} with id {value}")
    return value


def register(uow: UnitOfWork, user_id: uuid.UUID, kind: Kind, raw_id: str, amount: int, method: str) -> Registered:
    """Apply for an exam or enroll in a course, paying `amount` (which must be its price) with `method`."""
    item_id, now = parse_item_id(raw_id, kind), datetime.now(UTC)
    with uow:
        store = uow.store(PaymentStore)
        item = store.item(kind, item_id)
        if item is None:
            raise NotFound(f"no {kind.name} with id {item_id}")
        if not item.start_at <= now <= item.end_at:
            raise InvalidInput(
                f"Outside this {kind.name}'s window ({item.start_at.isoformat()} to {item.end_at.isoformat()}).", "id"
            )
        if amount != item.price:
            raise InvalidInput(f"The amount must be the price, {item.price} won (got {amount}).", "amount")
        payment = None
        if item.price > 0:
            payment = new_payment(user_id, kind.name, str(item_id), item.title, item.price, method, now)
            store.add_payment(payment)
        registration_id = store.register(kind, user_id, item_id, kind.active_status, payment and payment.id, now)
        if registration_id is None:
            raise Conflict(
                f"You have already {'applied for' if kind.name == 'test' else 'enrolled in'} this {kind.name}."
            )
        store.count(kind, item_id, +1)
        if payment is not None:
            store.add_message(charge_command(payment, now))
        uow.commit()
        return Registered(store.registration(kind, registration_id), payment)


def new_payment(user_id, target_type: str, target_id: str, title: str, price: int, method: str, now) -> Payment:
    return Payment(
        id=uuid.uuid4(),
        user_id=user_id,
        target_type=target_type,
        target_id=target_id,
        item_title=title,
        item_price=price,
        amount=price,
        currency="KRW",
        method=method,
        status="pending",
        created_at=now,
        updated_at=now,
    )


def charge_command(payment: Payment, now: datetime) -> ChargePayment:
    return ChargePayment(
        payment_id=str(payment.id),
        user_id=str(payment.user_id),
        amount=payment.amount,
        currency=payment.currency,
        method=payment.method,
        order_name=payment.item_title[:100],
        requested_at=now.isoformat(),
    )


def complete(uow: UnitOfWork, user_id: uuid.UUID, kind: Kind, raw_id: str):
    """Mark the caller's registration completed; it must be active and paid (or free)."""
    item_id = parse_item_id(raw_id, kind)
    with uow:
        store = uow.store(PaymentStore)
        registration = _own_registration(store, user_id, kind, item_id)
        if registration.status == "completed":
            return registration
        if registration.status != kind.active_status:
            raise Conflict(f"This registration is {registration.status}; only an active one can be completed.")
        if registration.payment_id is not None:
            status = store.payment_status(registration.payment_id)
            if status != "paid":
                raise Conflict(f"The payment is {status}; a registration is completed once it is paid.")
        registration.status, registration.completed_at = "completed", datetime.now(UTC)
        uow.commit()
        return registration


def _own_registration(store: PaymentStore, user_id: uuid.UUID, kind: Kind, item_id: int):
    registration = store.own_registration(kind, user_id, item_id)
    if registration is None:
        raise NotFound(f"You have no registration for {kind.name} {item_id}.")
    return registration


def cancel(uow: UnitOfWork, user_id: uuid.UUID, raw_payment_id: str, reason: str) -> Payment:
    """Cancel a paid registration before it is completed: the registration ends now, the refund follows."""
    with uow:
        store = uow.store(PaymentStore)
        payment = _own_payment(store, user_id, raw_payment_id, lock=True)
        if payment.target_type not in KINDS:
            raise Conflict("Token purchases cannot be cancelled.")
        if payment.refund_requested_at is not None or payment.status == "cancelled":
            raise Conflict("This payment is already cancelled; its refund was requested once.")
        if payment.status != "paid":
            raise Conflict(f"This payment is {payment.status}; only a paid payment can be cancelled.")
        kind = KINDS[payment.target_type]
        registration = _own_registration(store, user_id, kind, int(payment.target_id))
        if registration.status == "completed":
            raise Conflict(f"This {kind.name} is completed; its payment can no longer be cancelled.")
        now = datetime.now(UTC)
        end_registration(store, kind, registration, now)
        payment.refund_reason, payment.refund_requested_at, payment.updated_at = reason, now, now
        refund = RefundPayment(
            payment_id=str(payment.id), amount=payment.amount, reason=reason, requested_at=now.isoformat()
        )
        store.add_message(refund)
        uow.commit()
        return payment


def end_registration(store: PaymentStore, kind: Kind, registration, now: datetime) -> None:
    """The registration cancelled and its seat given back; once."""
    if registration.status == "cancelled":
        return
    registration.status, registration.cancelled_at = "cancelled", now
    store.count(kind, getattr(registration, kind.item_column), -1)


def _own_payment(store: PaymentStore, user_id: uuid.UUID, raw_id: str, lock: bool = False) -> Payment:
    try:
        payment_id = uuid.UUID(raw_id)
    except ValueError:
        raise NotFound(f"'{raw_id[:64]}' is not a payment id (ids are UUIDs)") from None
    payment = store.payment(payment_id, lock)
    if payment is None or payment.user_id != user_id:
        raise NotFound(f"no payment with id {payment_id}")
    return payment


def get_payment(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> Payment:
    with uow:
        return _own_payment(uow.store(PaymentStore), user_id, raw_id)


def list_payments(
    uow: UnitOfWork,
    user_id: uuid.UUID,
    page: int,
    page_size: int,
    status: str | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
) -> tuple[list[Payment], int]:
    """The caller's payments, newest first, with filters."""
    with uow:
        store = uow.store(PaymentStore)
        return store.payments(user_id, (page - 1) * page_size, page_size, status, created_from, created_to)


def wait_for_outcome(uow: UnitOfWork, payment_id: uuid.UUID, seconds: float, interval: float = 0.1) -> Payment:
    """The payment once it is no longer pending, or as it is after `seconds` (RFC 7240 `Prefer: wait`)."""
    deadline = time.monotonic() + seconds
    while True:
        with uow:
            payment = uow.store(PaymentStore).payment(payment_id)
        if payment.status != "pending" or time.monotonic() >= deadline:
            return payment
        time.sleep(interval)
