"""The payments' SQL: the items paid for, registrations, payments and their messages, inside one transaction.

Rows come back as the ORM loaded them; a change the service makes to one is
written when the transaction flushes, as before the store existed.
"""

import uuid
from datetime import datetime

from sqlalchemy import func, select, text

from gateway.notifications.events import publish_event
from gateway.payments.models import Payment
from gateway.platform.outbox import add_message
from shared.messages import Message


def _register_sql(kind) -> str:
    table = kind.registration.__tablename__
    return (
        f"INSERT INTO {table} (user_id, {kind.item_column}, status, payment_id, {kind.joined_column}) "
        "VALUES (:user, :item, :status, :payment, :now) "
        f"ON CONFLICT (user_id, {kind.item_column}) DO UPDATE SET status = :status, payment_id = :payment, "
        f"{kind.joined_column} = :now, completed_at = NULL, cancelled_at = NULL WHERE {table}.status = 'cancelled' "
        "RETURNING id"
    )


class PaymentStore:
    """Plain methods over payments, exam and course registrations and the items' counts."""

    def __init__(self, session):
        self._session = session

    def item(self, kind, item_id: int):
        """The exam or course (title, price, start_at, end_at), or None."""
        return self._session.get(kind.item, item_id)

    def register(self, kind, user_id: uuid.UUID, item_id: int, status: str, payment_id, now: datetime) -> int | None:
        """The registration's id, or None when the user holds one that is not cancelled."""
        params = {"user": user_id, "item": item_id, "status": status, "payment": payment_id, "now": now}
        return self._session.execute(text(_register_sql(kind)), params).scalar()

    def registration(self, kind, registration_id: int):
        return self._session.get(kind.registration, registration_id)

    def own_registration(self, kind, user_id: uuid.UUID, item_id: int):
        """The user's registration for the item, locked, or None."""
        model = kind.registration
        return self._session.scalars(
            select(model).where(model.user_id == user_id, getattr(model, kind.item_column) == item_id).with_for_update()
        ).first()

    def registration_paid_by(self, kind, payment_id: uuid.UUID):
        """The registration a payment paid for, locked, or None."""
        model = kind.registration
        return self._session.scalars(select(model).where(model.payment_id == payment_id).with_for_update()).first()

    def count(self, kind, item_id: int, delta: int) -> None:
        """Keep the item's registration count (the `popular` sort) in step, without a lost update."""
        table = kind.item.__tablename__
        self._session.execute(
            text(f"UPDATE {table} SET registration_count = greatest(registration_count + :delta, 0) WHERE id = :id"),
            {"delta": delta, "id": item_id},
        )

    def add_payment(self, payment: Payment) -> None:
        """Record a new payment (written now, so what refers to it follows)."""
        self._session.add(payment)
        self._session.flush()

    def payment(self, payment_id: uuid.UUID, lock: bool = False) -> Payment | None:
        return self._session.get(Payment, payment_id, with_for_update=lock)

    def locked_payment(self, payment_id) -> Payment | None:
        """The payment, locked for a report about it, or None."""
        return self._session.scalars(select(Payment).where(Payment.id == payment_id).with_for_update()).first()

    def payment_status(self, payment_id: uuid.UUID) -> str | None:
        return self._session.scalar(select(Payment.status).where(Payment.id == payment_id))

    def payments(
        self, user_id: uuid.UUID, offset: int, limit: int, status: str | None, created_from, created_to
    ) -> tuple[list[Payment], int]:
        """A page of a user's payments, newest first, and how many match in all."""
        conditions = [Payment.user_id == user_id]
        if status:
            conditions.append(Payment.status == status)
        if created_from:
            conditions.append(Payment.created_at >= created_from)
        if created_to:
            conditions.append(Payment.created_at < created_to)
        query = select(Payment).where(*conditions).order_by(Payment.created_at.desc(), Payment.id.desc())
        items = list(self._session.scalars(query.offset(offset).limit(limit)))
        return items, self._session.scalar(select(func.count()).select_from(Payment).where(*conditions))

    def add_message(self, message: Message) -> None:
        add_message(self._session, message)

    def tell(self, user_id: uuid.UUID, event_type: str, facts: dict, subject_id: str) -> None:
        publish_event(self._session, user_id, event_type, facts, subject_id)
