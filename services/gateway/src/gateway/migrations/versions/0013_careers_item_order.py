"""careers: each child table indexed by its parent and position

A résumé's six sections, a feedback's contents, an interview's turns and a study guide's items are read by their
parent's id in `position` order. Without an index each read scanned the whole child table: a résumé with 10 items
in every section took 660 ms among 100,000 seeded résumés (`make seed-careers`); with these, well under 1 ms. The
same indexes serve the ON DELETE CASCADE from the parent and a PUT's delete of the old sections.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 01:00:00
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

CHILDREN = {
    "resume_experiences": "resume_id",
    "resume_educations": "resume_id",
    "resume_projects": "resume_id",
    "resume_activities": "resume_id",
    "resume_qualifications": "resume_id",
    "resume_technology_stacks": "resume_id",
    "resume_feedback_contents": "feedback_id",
    "interview_turns": "interview_id",
    "study_items": "guide_id",
}


def upgrade() -> None:
    for table, parent in CHILDREN.items():
        op.create_index(f"ix_{table}_{parent}", table, [parent, "position"])


def downgrade() -> None:
    for table, parent in CHILDREN.items():
        op.drop_index(f"ix_{table}_{parent}", table_name=table)
