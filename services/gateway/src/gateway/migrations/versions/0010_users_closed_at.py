"""users.closed_at: an account its owner closed (DELETE /api/users/me)

A closed account keeps its row (its jobs, payments, wallet ledger and community content refer to it) with the
personal data anonymised; no sign-in finds it and no token of it holds.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "closed_at")
