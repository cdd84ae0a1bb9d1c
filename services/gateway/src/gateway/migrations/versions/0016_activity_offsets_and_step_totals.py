"""classroom: stream_offsets (each stream reader's next offset) and activity_step_totals (activity per learner and step)

A RabbitMQ stream keeps no place for an AMQP 0.9.1 reader: the reader says where to start each time it
subscribes. The activity consumer writes its next offset in the transaction that stores the events it read, so a
restart (or a standby replica taking over) resumes exactly there, and /api/health/detailed reports its lag.

In the same transaction it adds the events it newly stored to activity_step_totals (how many, the first and the
last), so the instructor's step analysis reads one row per learner and step instead of every event.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 02:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stream_offsets",
        sa.Column("stream", sa.String(length=255), nullable=False),
        sa.Column("reader", sa.String(length=100), nullable=False),
        sa.Column("next_offset", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("stream", "reader", name=op.f("pk_stream_offsets")),
    )
    op.create_table(
        "activity_step_totals",
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("step_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=True),
        sa.Column("lecture_id", sa.Uuid(), nullable=True),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("participant_id", "step_id", name=op.f("pk_activity_step_totals")),
    )
    op.create_index("ix_activity_step_totals_lecture", "activity_step_totals", ["lecture_id", "step_id"])


def downgrade() -> None:
    op.drop_index("ix_activity_step_totals_lecture", table_name="activity_step_totals")
    op.drop_table("activity_step_totals")
    op.drop_table("stream_offsets")
