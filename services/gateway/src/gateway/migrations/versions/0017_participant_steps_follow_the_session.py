"""classroom: a participant follows its session's step instead of every move rewriting every participant

class_sessions.step_seq counts the instructor's moves of everyone (start, each next-step). A participant keeps
the step it was last put on itself (joining, waking, moving on, finishing) as own_step_id (the former
current_step_id) with the session's step_seq at that moment (own_step_seq); its current step is the session's
when the session moved since and it has not finished the lecture, else its own. next-step then writes the session
row only, whatever the number of participants.

Existing rows keep their step: every own_step_seq and step_seq starts at 0, so nobody follows a move yet.
The downgrade writes each participant's current step back into current_step_id.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 04:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("class_sessions", sa.Column("step_seq", sa.BigInteger(), server_default="0", nullable=False))
    op.alter_column("session_participants", "current_step_id", new_column_name="own_step_id")
    op.execute(
        "ALTER TABLE session_participants RENAME CONSTRAINT fk_session_participants_current_step_id_lecture_steps "
        "TO fk_session_participants_own_step_id_lecture_steps"
    )
    op.add_column(
        "session_participants", sa.Column("own_step_seq", sa.BigInteger(), server_default="0", nullable=False)
    )


def downgrade() -> None:
    op.execute(
        "UPDATE session_participants p SET own_step_id = cs.current_step_id FROM class_sessions cs "
        "WHERE cs.id = p.session_id AND p.status <> 'COMPLETED' AND p.own_step_seq < cs.step_seq"
    )
    op.drop_column("session_participants", "own_step_seq")
    op.execute(
        "ALTER TABLE session_participants RENAME CONSTRAINT fk_session_participants_own_step_id_lecture_steps "
        "TO fk_session_participants_current_step_id_lecture_steps"
    )
    op.alter_column("session_participants", "own_step_id", new_column_name="current_step_id")
    op.drop_column("class_sessions", "step_seq")
