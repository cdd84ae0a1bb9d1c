"""The service's record of each payment, in its own Postgres database.

Every transition is one conditional statement, so two replicas handling copies
of the same message cannot both move a payment: the loser reads what the winner
recorded. The states:

    charging -> paid | failed        (a charge's outcome, recorded once)
    paid -> refunding -> refunded    (a refund's outcome, recorded once)
    refunding -> paid                (the provider refused the refund; the reason is kept)
"""

import dataclasses
from datetime import UTC, datetime

from sqlalchemy import Engine, create_engine, select, update
from sqlalchemy.dialects.postgresql import insert

from payments.tables import payments
from shared.messages import ChargePayment

CONNECT_ARGS = {"connect_timeout": 5}


def make_engine(url: str, pool_size: int) -> Engine:
    """An engine with one connection per handler thread."""
    return create_engine(url, pool_size=pool_size, max_overflow=2, pool_pre_ping=True, connect_args=CONNECT_ARGS)


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclasses.dataclass(frozen=True)
class PaymentRecord:
    """One row of `payments`."""

    payment_id: str
    user_id: str
    amount: int
    currency: str
    method: str
    order_name: str
    state: str
    provider: str
    provider_transaction_id: str | None
    failure_code: str | None
    failure_reason: str | None
    charge_attempts: int
    refund_request: str | None
    refund_reason: str | None
    refund_failure_code: str | None
    refund_failure_reason: str | None
    refund_attempts: int
    created_at: datetime
    updated_at: datetime
    paid_at: datetime | None
    failed_at: datetime | None
    refunded_at: datetime | None

    @property
    def charge_settled(self) -> bool:
        """The charge's outcome is recorded: a redelivery only re-reports it."""
        return self.state != "charging"


_FIELDS = [field.name for field in dataclasses.fields(PaymentRecord)]


def _record(row) -> PaymentRecord | None:
    return None if row is None else PaymentRecord(**{name: row._mapping[name] for name in _FIELDS})


class PaymentStore:
    """Reads and conditional transitions of the payment record."""

    def __init__(self, engine: Engine):
        self._engine = engine

    def get(self, payment_id: str) -> PaymentRecord | None:
        with self._engine.connect() as conn:
            return _record(conn.execute(select(payments).where(payments.c.payment_id == payment_id)).first())

    def start_charge(self, command: ChargePayment, provider: str) -> PaymentRecord:
        """The record in `charging` (created on first sight, one more attempt counted), or as already settled."""
        now = utcnow()
        values = {
            "payment_id": command.payment_id,
            "user_id": command.user_id,
            "amount": command.amount,
            "currency": command.currency,
            "method": command.method,
            "order_name": command.order_name[:200],
            "state": "charging",
            "provider": provider,
            "charge_attempts": 1,
            "created_at": now,
            "updated_at": now,
        }
        statement = (
            insert(payments)
            .values(values)
            .on_conflict_do_update(
                index_elements=[payments.c.payment_id],
                set_={"charge_attempts": payments.c.charge_attempts + 1, "updated_at": now},
                where=payments.c.state == "charging",
            )
            .returning(payments)
        )
        with self._engine.begin() as conn:
            row = conn.execute(statement).first()
        return _record(row) or self.get(command.payment_id)

    def record_paid(self, payment_id: str, transaction_id: str, paid_at: datetime) -> PaymentRecord:
        values = {"state": "paid", "provider_transaction_id": transaction_id, "paid_at": paid_at}
        return self._move(payment_id, ("charging",), values)

    def record_failed(self, payment_id: str, code: str, reason: str) -> PaymentRecord:
        values = {"state": "failed", "failure_code": code, "failure_reason": reason, "failed_at": utcnow()}
        return self._move(payment_id, ("charging",), values)

    def start_refund(self, payment_id: str, request: str, reason: str) -> PaymentRecord:
        """Move to `refunding` (one more attempt counted), or return the record as it stands."""
        values = {
            "state": "refunding",
            "refund_request": request,
            "refund_reason": reason,
            "refund_failure_code": None,
            "refund_failure_reason": None,
            "refund_attempts": payments.c.refund_attempts + 1,
        }
        return self._move(payment_id, ("paid", "refunding"), values)

    def record_refunded(self, payment_id: str, refunded_at: datetime) -> PaymentRecord:
        return self._move(payment_id, ("refunding",), {"state": "refunded", "refunded_at": refunded_at})

    def record_refund_failed(self, payment_id: str, code: str, reason: str) -> PaymentRecord:
        values = {"state": "paid", "refund_failure_code": code, "refund_failure_reason": reason}
        return self._move(payment_id, ("refunding",), values)

    def _move(self, payment_id: str, sources: tuple[str, ...], values: dict) -> PaymentRecord:
        """Apply `values` if the payment is in one of `sources`; either way, the record as it now stands."""
        statement = (
            update(payments)
            .where(payments.c.payment_id == payment_id, payments.c.state.in_(sources))
            .values(**values, updated_at=utcnow())
            .returning(payments)
        )
        with self._engine.begin() as conn:
            row = conn.execute(statement).first()
        record = _record(row) or self.get(payment_id)
        if record is None:
            raise LookupError(f"no payment {payment_id} on record")
        return record
