"""careers: an owner's résumés and postings indexed with their titles; the title trigram indexes dropped

A list is always one owner's, so a title search within it belongs in that owner's entries of the newest-first
index. The trigram indexes over every user's titles led the planner the other way: for a common word it read
thousands of other users' rows and kept the owner's (résumé list searched for '백엔드' by a user with 1,861
résumés among 100,000: 34 ms for the page and 72 ms for its count; 'engineer': 134 and 104 ms). With the title
included in ix_*_owner_new the count and the page's ids are index-only scans of the owner's entries (about 2 ms
for that user, far less for most).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 01:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TABLES = ("resumes", "job_postings")
LIVE = sa.text("deleted_at IS NULL")
NEWEST = ["owner_id", sa.literal_column("created_at DESC"), sa.literal_column("id DESC")]


def upgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_title_trgm", table_name=table, postgresql_where=LIVE)
        op.drop_index(f"ix_{table}_owner_new", table_name=table, postgresql_where=LIVE)
        op.create_index(f"ix_{table}_owner_new", table, NEWEST, postgresql_include=["title"], postgresql_where=LIVE)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_owner_new", table_name=table, postgresql_where=LIVE)
        op.create_index(f"ix_{table}_owner_new", table, NEWEST, postgresql_where=LIVE)
        title = sa.literal_column("lower(title)").label("title_lower")
        op.create_index(
            f"ix_{table}_title_trgm",
            table,
            [title],
            postgresql_using="gin",
            postgresql_ops={"title_lower": "gin_trgm_ops"},
            postgresql_where=LIVE,
        )
