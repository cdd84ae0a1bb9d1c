"""classroom: a recording's analysis in the platform's status vocabulary, with who made it

A recording's own status says where the recording is (RECORDING, COMPLETED, PROCESSING, ANALYZED, FAILED); its
analysis, like every piece of asynchronous work, moves through queued, processing, retrying, completed or failed
(null until one is asked for), and records the provider and model that made it, as a help request's does.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 01:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

WORK_STATUSES = "('queued', 'processing', 'retrying', 'completed', 'failed')"


def upgrade() -> None:
    op.add_column("recordings", sa.Column("analysis_status", sa.String(length=16), nullable=True))
    op.add_column("recordings", sa.Column("provider", sa.String(length=64), nullable=True))
    op.add_column("recordings", sa.Column("model", sa.String(length=128), nullable=True))
    op.create_check_constraint(
        op.f("ck_recordings_analysis_status"), "recordings", f"analysis_status IN {WORK_STATUSES}"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_recordings_analysis_status"), "recordings", type_="check")
    op.drop_column("recordings", "model")
    op.drop_column("recordings", "provider")
    op.drop_column("recordings", "analysis_status")
