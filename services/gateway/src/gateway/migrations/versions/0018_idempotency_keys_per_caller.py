"""idempotency keys per caller: a signed-in user, or a classroom participant token's participant

A learner who joined by code has no account, yet retries a help request from a phone on a flaky network like
anyone else. The key's owner column becomes caller_id, without the foreign key to users: a caller is a user or
a participant (random UUIDs both), and a key expires within a day, so it outlives neither.
The downgrade drops the participants' keys (they name no user) and puts the foreign key back.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 04:50:00
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("fk_idempotency_keys_user_id_users", "idempotency_keys", type_="foreignkey")
    op.alter_column("idempotency_keys", "user_id", new_column_name="caller_id")


def downgrade() -> None:
    op.execute("DELETE FROM idempotency_keys k WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = k.caller_id)")
    op.alter_column("idempotency_keys", "caller_id", new_column_name="user_id")
    op.create_foreign_key(
        "fk_idempotency_keys_user_id_users", "idempotency_keys", "users", ["user_id"], ["id"], ondelete="CASCADE"
    )
