"""The payments' store in memory: the same methods as gateway.payments.store.PaymentStore."""

import itertools
import uuid
from types import SimpleNamespace

from gateway.payments.models import Payment
from gateway.payments.store import PaymentStore

PAYMENT_COLUMNS = [column.key for column in Payment.__table__.columns]


class FakePaymentStore:
    port = PaymentStore

    def __init__(self, items: dict[tuple[str, int], SimpleNamespace] = ()):
        self.items = dict(items)  # (kind name, id) -> title, price, start_at, end_at
        self.counts = dict.fromkeys(self.items, 0)
        self.registrations: dict[int, SimpleNamespace] = {}
        self.payments_by_id: dict[uuid.UUID, SimpleNamespace] = {}
        self.messages: list = []
        self.told: list[tuple] = []
        self._ids = itertools.count(1)

    def item(self, kind, item_id: int):
        return self.items.get((kind.name, item_id))

    def register(self, kind, user_id, item_id: int, status: str, payment_id, now) -> int | None:
        mine = [r for r in self._registrations(kind) if (r.user_id, getattr(r, kind.item_column)) == (user_id, item_id)]
        if mine and mine[0].status != "cancelled":
            return None
        registration = mine[0] if mine else SimpleNamespace(id=next(self._ids), kind=kind.name, user_id=user_id)
        fields = {kind.item_column: item_id, kind.joined_column: now, "completed_at": None, "cancelled_at": None}
        vars(registration).update(fields, status=status, payment_id=payment_id)
        self.registrations[registration.id] = registration
        return registration.id

    def registration(self, kind, registration_id: int):
        return self.registrations.get(registration_id)

    def own_registration(self, kind, user_id, item_id: int):
        found = [
            r for r in self._registrations(kind) if (r.user_id, getattr(r, kind.item_column)) == (user_id, item_id)
        ]
        return found[0] if found else None

    def registration_paid_by(self, kind, payment_id):
        found = [r for r in self._registrations(kind) if r.payment_id == payment_id]
        return found[0] if found else None

    def count(self, kind, item_id: int, delta: int) -> None:
        self.counts[(kind.name, item_id)] = max(self.counts[(kind.name, item_id)] + delta, 0)

    def add_payment(self, payment) -> None:
        self.payments_by_id[payment.id] = SimpleNamespace(**{name: getattr(payment, name) for name in PAYMENT_COLUMNS})

    def payment(self, payment_id, lock: bool = False):
        return self.payments_by_id.get(uuid.UUID(str(payment_id)))

    def locked_payment(self, payment_id):
        return self.payment(payment_id, lock=True)

    def payment_status(self, payment_id) -> str | None:
        payment = self.payment(payment_id)
        return payment and payment.status

    def payments(self, user_id, offset: int, limit: int, status, created_from, created_to):
        mine = [
            p
            for p in self.payments_by_id.values()
            if p.user_id == user_id
            and (not status or p.status == status)
            and (not created_from or p.created_at >= created_from)
            and (not created_to or p.created_at < created_to)
        ]
        mine.sort(key=lambda p: (p.created_at, p.id), reverse=True)
        return mine[offset : offset + limit], len(mine)

    def add_message(self, message) -> None:
        self.messages.append(message)

    def tell(self, user_id, event_type: str, facts: dict, subject_id: str) -> None:
        self.told.append((user_id, event_type, facts, subject_id))

    def _registrations(self, kind) -> list[SimpleNamespace]:
        return [r for r in self.registrations.values() if r.kind == kind.name]
