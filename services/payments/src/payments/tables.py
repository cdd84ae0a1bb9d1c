"""The service's own tables: its record of every payment, and the sandbox provider's ledger."""

from sqlalchemy import BigInteger, CheckConstraint, Column, DateTime, Integer, MetaData, String, Table, Text

STATES = ("charging", "paid", "failed", "refunding", "refunded")

metadata = MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
    }
)

# One row per payment id: what was asked, how far it got, what the provider answered.
payments = Table(
    "payments",
    metadata,
    Column("payment_id", String(64), primary_key=True),
    Column("user_id", String(64), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("method", String(32), nullable=False),
    Column("order_name", String(200), nullable=False),
    Column("state", String(16), nullable=False),
    Column("provider", String(32), nullable=False),
    Column("provider_transaction_id", String(200)),
    Column("failure_code", String(64)),
    Column("failure_reason", Text),
    Column("charge_attempts", Integer, nullable=False, server_default="0"),
    Column("refund_request", String(64)),  # the requested_at of the RefundPayment being handled
    Column("refund_reason", Text),
    Column("refund_failure_code", String(64)),
    Column("refund_failure_reason", Text),
    Column("refund_attempts", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("paid_at", DateTime(timezone=True)),
    Column("failed_at", DateTime(timezone=True)),
    Column("refunded_at", DateTime(timezone=True)),
    CheckConstraint(f"state IN {STATES}", name="state"),
    CheckConstraint("amount > 0", name="amount"),
)

# The embedded sandbox provider keeps its books here, so it is idempotent across replicas and restarts.
sandbox_charges = Table(
    "sandbox_charges",
    metadata,
    Column("idempotency_key", String(64), primary_key=True),
    Column("transaction_id", String(64), nullable=False, unique=True),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(16), nullable=False),
    Column("decline_code", String(64)),
    Column("decline_message", Text),
    Column("requests", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("cancelled_at", DateTime(timezone=True)),
    Column("cancel_reason", Text),
    CheckConstraint("status IN ('paid', 'declined', 'cancelled')", name="status"),
)
