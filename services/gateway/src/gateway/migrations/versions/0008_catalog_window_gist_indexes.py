"""catalog: GiST indexes (btree_gist) on each sort key, id and the window; a bigram index for 2-letter searches

The GiST indexes serve `available` and start_at ranges in every order, and replace the btree (start_at, end_at)
and (price, id, end_at, start_at) indexes. catalog_bigrams(title) (every two characters, lower case) lets a
GIN index find titles containing a two-letter word, which the trigram index cannot serve.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

WINDOW = ["id", "start_at", "end_at"]
INDEXES = {  # name suffix: (columns, partial index predicate); as models.catalog._window_indexes
    "created": (["created_at", *WINDOW], None),
    "price": (["price", *WINDOW], None),
    "start": ([sa.text("timezone('UTC', start_at)"), "id", "end_at"], None),
    "popular": (["registration_count", *WINDOW], "registration_count > 0"),
    "unregistered": (["registration_count", *WINDOW], "registration_count = 0"),
}


BIGRAMS = """
CREATE FUNCTION catalog_bigrams(title text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(lower(title), i, 2)), '{}')
    FROM generate_series(1, char_length(title) - 1) AS i
$$
"""


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")  # GiST operator classes (and <->) for scalars
    op.execute(BIGRAMS)
    op.execute("SET LOCAL maintenance_work_mem = '256MB'")  # a GiST build on a million rows takes ~20 s
    for table in ("tests", "courses"):
        op.drop_index(f"ix_{table}_price_window", table_name=table)
        op.drop_index(f"ix_{table}_window", table_name=table)
        for suffix, (columns, where) in INDEXES.items():
            op.create_index(
                f"ix_{table}_window_{suffix}",
                table,
                columns,
                postgresql_using="gist",
                postgresql_where=sa.text(where) if where else None,
            )
        op.create_index(f"ix_{table}_title_bigrams", table, [sa.text("catalog_bigrams(title)")], postgresql_using="gin")


def downgrade() -> None:
    for table in ("tests", "courses"):
        op.drop_index(f"ix_{table}_title_bigrams", table_name=table)
        for suffix in INDEXES:
            op.drop_index(f"ix_{table}_window_{suffix}", table_name=table)
        op.create_index(f"ix_{table}_window", table, ["start_at", "end_at"], unique=False)
        op.create_index(f"ix_{table}_price_window", table, ["price", "id", "end_at", "start_at"], unique=False)
    op.execute("DROP FUNCTION catalog_bigrams(text)")
