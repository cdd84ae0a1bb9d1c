"""careers: resumes, job postings, feedback, rewrites, interviews, study guides, profiles

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 00:30:00

Every careers table: résumés and their six sections (one table each, kept in `position` order), job postings,
AI feedback and its contents, rewrites, mock interviews and their turns, study guides and their items, and the
job seeker's profile. Soft deletes (`deleted_at`); owner lists newest first; titles searched by trigram.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "career_profiles",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(length=10), nullable=True),
        sa.Column("military_service", sa.String(length=10), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_career_profiles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_career_profiles")),
    )
    op.create_table(
        "job_postings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=True),
        sa.Column("title", sa.String(length=30), nullable=False),
        sa.Column("company", sa.String(length=30), nullable=False),
        sa.Column("qualification", sa.String(length=300), nullable=False),
        sa.Column("prefer", sa.String(length=300), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_job_postings_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_postings")),
    )
    op.create_index(
        "ix_job_postings_owner_new",
        "job_postings",
        ["owner_id", sa.literal_column("created_at DESC"), sa.literal_column("id DESC")],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_job_postings_title_trgm",
        "job_postings",
        [sa.literal_column("lower(title)").label("title_lower")],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"title_lower": "gin_trgm_ops"},
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "resumes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("resume_type", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("gender", sa.String(length=10), nullable=True),
        sa.Column("military_service", sa.String(length=10), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("self_introduction", sa.Text(), nullable=True),
        sa.Column("photo_key", sa.String(length=512), nullable=True),
        sa.Column("source_feedback_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_resumes_owner_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resumes")),
    )
    op.create_index(
        "ix_resumes_owner_new",
        "resumes",
        ["owner_id", sa.literal_column("created_at DESC"), sa.literal_column("id DESC")],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index(
        "ix_resumes_title_trgm",
        "resumes",
        [sa.literal_column("lower(title)").label("title_lower")],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"title_lower": "gin_trgm_ops"},
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "interviews",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("resume_id", sa.Uuid(), nullable=True),
        sa.Column("posting_id", sa.Uuid(), nullable=True),
        sa.Column("resume_title", sa.String(length=100), nullable=False),
        sa.Column("company", sa.String(length=30), nullable=True),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("total_score", sa.Integer(), nullable=True),
        sa.Column("scores", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("overall", sa.Text(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("provider", sa.String(length=64), nullable=True),
        sa.Column("model", sa.String(length=128), nullable=True),
        sa.Column("usage", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "phase IN ('opening', 'answering', 'finishing', 'finished')", name=op.f("ck_interviews_phase")
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'processing', 'retrying', 'completed', 'failed')", name=op.f("ck_interviews_status")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_interviews_owner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["posting_id"], ["job_postings.id"], name=op.f("fk_interviews_posting_id_job_postings"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["resume_id"], ["resumes.id"], name=op.f("fk_interviews_resume_id_resumes"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interviews")),
    )
    op.create_index(
        "ix_interviews_owner_new",
        "interviews",
        ["owner_id", sa.literal_column("created_at DESC"), sa.literal_column("id DESC")],
        unique=False,
    )
    op.create_table(
        "resume_activities",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resume_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name=op.f("ck_resume_activities_dates")),
        sa.ForeignKeyConstraint(
            ["resume_id"], ["resumes.id"], name=op.f("fk_resume_activities_resume_id_resumes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resume_activities")),
    )
    op.create_table(
        "resume_educations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resume_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("organ", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("degree_level", sa.String(length=10), nullable=True),
        sa.Column("score", sa.String(length=50), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name=op.f("ck_resume_educations_dates")),
        sa.ForeignKeyConstraint(
            ["resume_id"], ["resumes.id"], name=op.f("fk_resume_educations_resume_id_resumes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resume_educations")),
    )
    op.create_table(
        "resume_experiences",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resume_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("job_title", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("job_position", sa.String(length=100), nullable=True),
        sa.Column("job_description", sa.String(length=1000), nullable=True),
        sa.Column("employment_status", sa.Boolean(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name=op.f("ck_resume_experiences_dates")),
        sa.ForeignKeyConstraint(
            ["resume_id"], ["resumes.id"], name=op.f("fk_resume_experiences_resume_id_resumes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resume_experiences")),
    )
    op.create_table(
        "resume_feedbacks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("resume_id", sa.Uuid(), nullable=True),
        sa.Column("posting_id", sa.Uuid(), nullable=True),
        sa.Column("resume_title", sa.String(length=100), nullable=False),
        sa.Column("company", sa.String(length=30), nullable=True),
        sa.Column("posting_title", sa.String(length=30), nullable=True),
        sa.Column("parent_content", sa.Text(), nullable=True),
        sa.Column("matching_rate", sa.Integer(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("provider", sa.String(length=64), nullable=True),
        sa.Column("model", sa.String(length=128), nullable=True),
        sa.Column("usage", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('standard', 'posting')", name=op.f("ck_resume_feedbacks_kind")),
        sa.CheckConstraint(
            "status IN ('queued', 'processing', 'retrying', 'completed', 'failed')",
            name=op.f("ck_resume_feedbacks_status"),
        ),
        sa.CheckConstraint("matching_rate BETWEEN 0 AND 100", name=op.f("ck_resume_feedbacks_matching_rate")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_resume_feedbacks_owner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["job_postings.id"],
            name=op.f("fk_resume_feedbacks_posting_id_job_postings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["resume_id"], ["resumes.id"], name=op.f("fk_resume_feedbacks_resume_id_resumes"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resume_feedbacks")),
    )
    op.create_index(
        "ix_resume_feedbacks_owner_new",
        "resume_feedbacks",
        ["owner_id", sa.literal_column("created_at DESC"), sa.literal_column("id DESC")],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "resume_projects",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resume_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name=op.f("ck_resume_projects_dates")),
        sa.ForeignKeyConstraint(
            ["resume_id"], ["resumes.id"], name=op.f("fk_resume_projects_resume_id_resumes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resume_projects")),
    )
    op.create_table(
        "resume_qualifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resume_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("acquisition_date", sa.Date(), nullable=False),
        sa.Column("score", sa.String(length=50), nullable=True),
        sa.Column("organ", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["resume_id"], ["resumes.id"], name=op.f("fk_resume_qualifications_resume_id_resumes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resume_qualifications")),
    )
    op.create_table(
        "resume_technology_stacks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resume_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["resume_id"],
            ["resumes.id"],
            name=op.f("fk_resume_technology_stacks_resume_id_resumes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resume_technology_stacks")),
    )
    op.create_table(
        "interview_turns",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("interview_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("competence", sa.String(length=40), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("evaluation", sa.Text(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
            name=op.f("fk_interview_turns_interview_id_interviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_turns")),
    )
    op.create_table(
        "resume_feedback_contents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("feedback_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("division", sa.String(length=10), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["resume_feedbacks.id"],
            name=op.f("fk_resume_feedback_contents_feedback_id_resume_feedbacks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resume_feedback_contents")),
    )
    op.create_table(
        "resume_rewrites",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("feedback_id", sa.Uuid(), nullable=True),
        sa.Column("resume_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("provider", sa.String(length=64), nullable=True),
        sa.Column("model", sa.String(length=128), nullable=True),
        sa.Column("usage", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'processing', 'retrying', 'completed', 'failed')",
            name=op.f("ck_resume_rewrites_status"),
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["resume_feedbacks.id"],
            name=op.f("fk_resume_rewrites_feedback_id_resume_feedbacks"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_resume_rewrites_owner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["resume_id"], ["resumes.id"], name=op.f("fk_resume_rewrites_resume_id_resumes"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resume_rewrites")),
    )
    op.create_table(
        "study_guides",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("feedback_id", sa.Uuid(), nullable=True),
        sa.Column("posting_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=100), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("provider", sa.String(length=64), nullable=True),
        sa.Column("model", sa.String(length=128), nullable=True),
        sa.Column("usage", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'processing', 'retrying', 'completed', 'failed')", name=op.f("ck_study_guides_status")
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["resume_feedbacks.id"],
            name=op.f("fk_study_guides_feedback_id_resume_feedbacks"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_study_guides_owner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["job_postings.id"],
            name=op.f("fk_study_guides_posting_id_job_postings"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_guides")),
    )
    op.create_index(
        "ix_study_guides_owner_new",
        "study_guides",
        ["owner_id", sa.literal_column("created_at DESC"), sa.literal_column("id DESC")],
        unique=False,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "study_items",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("guide_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("keywords", postgresql.ARRAY(sa.String(length=50)), server_default="{}", nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("estimated_hours", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["guide_id"], ["study_guides.id"], name=op.f("fk_study_items_guide_id_study_guides"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_items")),
    )
    # résumés and feedback refer to each other (a rewritten résumé names its feedback): this one comes last
    op.create_foreign_key(
        op.f("fk_resumes_source_feedback_id_resume_feedbacks"),
        "resumes",
        "resume_feedbacks",
        ["source_feedback_id"],
        ["id"],
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_resumes_source_feedback_id_resume_feedbacks"), "resumes", type_="foreignkey")
    op.drop_table("study_items")
    op.drop_index(
        "ix_study_guides_owner_new", table_name="study_guides", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_table("study_guides")
    op.drop_table("resume_rewrites")
    op.drop_table("resume_feedback_contents")
    op.drop_table("interview_turns")
    op.drop_table("resume_technology_stacks")
    op.drop_table("resume_qualifications")
    op.drop_table("resume_projects")
    op.drop_index(
        "ix_resume_feedbacks_owner_new", table_name="resume_feedbacks", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_table("resume_feedbacks")
    op.drop_table("resume_experiences")
    op.drop_table("resume_educations")
    op.drop_table("resume_activities")
    op.drop_index("ix_interviews_owner_new", table_name="interviews")
    op.drop_table("interviews")
    op.drop_index(
        "ix_resumes_title_trgm",
        table_name="resumes",
        postgresql_using="gin",
        postgresql_ops={"title_lower": "gin_trgm_ops"},
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.drop_index("ix_resumes_owner_new", table_name="resumes", postgresql_where=sa.text("deleted_at IS NULL"))
    op.drop_table("resumes")
    op.drop_index(
        "ix_job_postings_title_trgm",
        table_name="job_postings",
        postgresql_using="gin",
        postgresql_ops={"title_lower": "gin_trgm_ops"},
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.drop_index(
        "ix_job_postings_owner_new", table_name="job_postings", postgresql_where=sa.text("deleted_at IS NULL")
    )
    op.drop_table("job_postings")
    op.drop_table("career_profiles")
