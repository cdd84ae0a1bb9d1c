"""catalog: (price, id, end_at, start_at) indexes for `available` sorted by price

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 08:52:00
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("tests", "courses"):
        op.create_index(f"ix_{table}_price_window", table, ["price", "id", "end_at", "start_at"], unique=False)


def downgrade() -> None:
    for table in ("tests", "courses"):
        op.drop_index(f"ix_{table}_price_window", table_name=table)
