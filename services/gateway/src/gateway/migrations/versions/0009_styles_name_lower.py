"""styles.name_lower: the name in lower case, stored, for search's name bonus

Search ranks every matching style, and its name bonus compared lower(name) up to three times a row (equal, begins
with, holds the query): about 0.4 ms of PostgreSQL CPU for a query matching 500 styles. Stored, it is computed once
per write. Adding the stored column rewrites the table; the migration vacuums it afterwards.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 08:30:00
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE styles ADD COLUMN name_lower text GENERATED ALWAYS AS (lower(name)) STORED")
    # The rewrite leaves the table's visibility map empty: until a vacuum, every index-only scan (the listing's
    # counts, sort=popular) reads the heap as well, 4x the cost. VACUUM cannot run inside a transaction.
    with op.get_context().autocommit_block():
        op.execute("VACUUM (ANALYZE) styles")


def downgrade() -> None:
    op.drop_column("styles", "name_lower")
