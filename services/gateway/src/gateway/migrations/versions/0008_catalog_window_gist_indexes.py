"""catalog: GiST indexes (btree_gist) on each sort key, id and the window, for `available` and start_at ranges

Replaces the btree (start_at, end_at) and (price, id, end_at, start_at) indexes, which these serve better.
The lead re-chains `down_revision` onto 0007 when that lands.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-01 22:00:00
"""

from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None

SORT_KEYS = {"created": "created_at", "popular": "registration_count", "price": "price", "start": "start_at"}


def _columns(key: str) -> list[str]:
    return [key, "id", "end_at"] if key == "start_at" else [key, "id", "start_at", "end_at"]


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")  # GiST operator classes (and <->) for scalars
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")  # a GiST build on a million rows takes ~20 s each
    for table in ("tests", "courses"):
        op.drop_index(f"ix_{table}_price_window", table_name=table)
        op.drop_index(f"ix_{table}_window", table_name=table)
        for sort, key in SORT_KEYS.items():
            op.create_index(f"ix_{table}_window_{sort}", table, _columns(key), postgresql_using="gist")


def downgrade() -> None:
    for table in ("tests", "courses"):
        for sort in SORT_KEYS:
            op.drop_index(f"ix_{table}_window_{sort}", table_name=table, postgresql_using="gist")
        op.create_index(f"ix_{table}_window", table, ["start_at", "end_at"], unique=False)
        op.create_index(f"ix_{table}_price_window", table, ["price", "id", "end_at", "start_at"], unique=False)
