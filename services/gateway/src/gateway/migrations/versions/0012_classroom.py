"""classroom

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 00:30:00

Lectures of tasks and ordered steps, enrollments, live sessions (a unique 6-character code, a numbered event
sequence) with participants (one per user or device), step progress, instructor controls, screenshots, help
requests with their AI analysis, the activity log (filled in batches from the classroom.activity stream), and
recordings with their events.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activity_logs",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=True),
        sa.Column("participant_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("lecture_id", sa.Uuid(), nullable=True),
        sa.Column("step_id", sa.Uuid(), nullable=True),
        sa.Column("recording_id", sa.Uuid(), nullable=True),
        sa.Column("device_id", sa.String(length=100), nullable=True),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("package", sa.String(length=255), nullable=True),
        sa.Column("screen", sa.String(length=255), nullable=True),
        sa.Column("element", sa.String(length=255), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("x", sa.Integer(), nullable=True),
        sa.Column("y", sa.Integer(), nullable=True),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_logs")),
    )
    op.create_index(
        "ix_activity_logs_recording",
        "activity_logs",
        ["recording_id", "occurred_at"],
        unique=False,
        postgresql_where=sa.text("recording_id IS NOT NULL"),
    )
    op.create_index("ix_activity_logs_session", "activity_logs", ["session_id", "occurred_at"], unique=False)
    op.create_index("uq_activity_logs_event", "activity_logs", ["event_id"], unique=True)
    op.create_table(
        "lectures",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("instructor_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("thumbnail_url", sa.String(length=500), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["instructor_id"], ["users.id"], name=op.f("fk_lectures_instructor_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lectures")),
    )
    op.create_index(
        "ix_lectures_instructor", "lectures", ["instructor_id", sa.literal_column("created_at DESC")], unique=False
    )
    op.create_table(
        "lecture_enrollments",
        sa.Column("lecture_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["lecture_id"], ["lectures.id"], name=op.f("fk_lecture_enrollments_lecture_id_lectures"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_lecture_enrollments_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("lecture_id", "user_id", name=op.f("pk_lecture_enrollments")),
    )
    op.create_index("ix_lecture_enrollments_user", "lecture_enrollments", ["user_id"], unique=False)
    op.create_table(
        "lecture_tasks",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("lecture_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lecture_id"], ["lectures.id"], name=op.f("fk_lecture_tasks_lecture_id_lectures"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lecture_tasks")),
    )
    op.create_index("ix_lecture_tasks_lecture", "lecture_tasks", ["lecture_id", "position"], unique=False)
    op.create_table(
        "recordings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("lecture_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("analysis", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("analyzed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('RECORDING', 'COMPLETED', 'PROCESSING', 'ANALYZED', 'FAILED')",
            name=op.f("ck_recordings_status"),
        ),
        sa.ForeignKeyConstraint(
            ["lecture_id"], ["lectures.id"], name=op.f("fk_recordings_lecture_id_lectures"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_recordings_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recordings")),
    )
    op.create_index(
        "ix_recordings_owner", "recordings", ["owner_id", sa.literal_column("created_at DESC")], unique=False
    )
    op.create_table(
        "lecture_steps",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("target_action", sa.String(length=20), nullable=True),
        sa.Column("target_element_hint", sa.Text(), nullable=True),
        sa.Column("guide_text", sa.Text(), nullable=True),
        sa.Column("voice_guide_text", sa.Text(), nullable=True),
        sa.Column("target_package", sa.String(length=255), nullable=True),
        sa.Column("target_view_id", sa.String(length=255), nullable=True),
        sa.Column("target_text", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "target_action IN ('CLICK', 'LONG_CLICK', 'SCROLL', 'INPUT', 'NAVIGATE', 'SWIPE', 'BACK', 'HOME', 'WAIT')",
            name=op.f("ck_lecture_steps_target_action"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["lecture_tasks.id"], name=op.f("fk_lecture_steps_task_id_lecture_tasks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lecture_steps")),
    )
    op.create_index("ix_lecture_steps_task", "lecture_steps", ["task_id", "position"], unique=False)
    op.create_table(
        "recording_events",
        sa.Column("recording_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("package", sa.String(length=255), nullable=True),
        sa.Column("screen", sa.String(length=255), nullable=True),
        sa.Column("element", sa.String(length=255), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("x", sa.Integer(), nullable=True),
        sa.Column("y", sa.Integer(), nullable=True),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.ForeignKeyConstraint(
            ["recording_id"],
            ["recordings.id"],
            name=op.f("fk_recording_events_recording_id_recordings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("recording_id", "seq", name=op.f("pk_recording_events")),
    )
    op.create_table(
        "class_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("lecture_id", sa.Uuid(), nullable=False),
        sa.Column("instructor_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("current_step_id", sa.Uuid(), nullable=True),
        sa.Column("event_seq", sa.BigInteger(), nullable=False),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('WAITING', 'IN_PROGRESS', 'PAUSED', 'ENDED', 'REVIEW_MODE')",
            name=op.f("ck_class_sessions_status"),
        ),
        sa.ForeignKeyConstraint(
            ["current_step_id"],
            ["lecture_steps.id"],
            name=op.f("fk_class_sessions_current_step_id_lecture_steps"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["instructor_id"], ["users.id"], name=op.f("fk_class_sessions_instructor_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["lecture_id"], ["lectures.id"], name=op.f("fk_class_sessions_lecture_id_lectures"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_sessions")),
    )
    op.create_index("ix_class_sessions_instructor", "class_sessions", ["instructor_id", "status"], unique=False)
    op.create_index(
        "ix_class_sessions_lecture",
        "class_sessions",
        ["lecture_id", sa.literal_column("created_at DESC")],
        unique=False,
    )
    op.create_index("uq_class_sessions_code", "class_sessions", ["code"], unique=True)
    op.create_table(
        "session_controls",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("instructor_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("step_id", sa.Uuid(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["instructor_id"], ["users.id"], name=op.f("fk_session_controls_instructor_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_sessions.id"],
            name=op.f("fk_session_controls_session_id_class_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["step_id"],
            ["lecture_steps.id"],
            name=op.f("fk_session_controls_step_id_lecture_steps"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_controls")),
    )
    op.create_index(op.f("ix_session_controls_session_id"), "session_controls", ["session_id"], unique=False)
    op.create_table(
        "session_participants",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("device_id", sa.String(length=100), nullable=True),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("current_step_id", sa.Uuid(), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_active_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('WAITING', 'ACTIVE', 'COMPLETED', 'DISCONNECTED')", name=op.f("ck_session_participants_status")
        ),
        sa.CheckConstraint("user_id IS NOT NULL OR device_id IS NOT NULL", name=op.f("ck_session_participants_who")),
        sa.ForeignKeyConstraint(
            ["current_step_id"],
            ["lecture_steps.id"],
            name=op.f("fk_session_participants_current_step_id_lecture_steps"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_sessions.id"],
            name=op.f("fk_session_participants_session_id_class_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_session_participants_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_participants")),
    )
    op.create_index(
        "uq_session_participants_device",
        "session_participants",
        ["session_id", "device_id"],
        unique=True,
        postgresql_where=sa.text("device_id IS NOT NULL"),
    )
    op.create_index(
        "uq_session_participants_user",
        "session_participants",
        ["session_id", "user_id"],
        unique=True,
        postgresql_where=sa.text("user_id IS NOT NULL"),
    )
    op.create_table(
        "help_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=True),
        sa.Column("lecture_id", sa.Uuid(), nullable=True),
        sa.Column("step_id", sa.Uuid(), nullable=True),
        sa.Column("participant_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("request_type", sa.String(length=10), nullable=False),
        sa.Column("context", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("analysis_status", sa.String(length=16), nullable=False),
        sa.Column("analysis", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("provider", sa.String(length=64), nullable=True),
        sa.Column("model", sa.String(length=128), nullable=True),
        sa.Column("feedback_rating", sa.Integer(), nullable=True),
        sa.Column("feedback_text", sa.Text(), nullable=True),
        sa.Column("feedback_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_event_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "analysis_status IN ('queued', 'processing', 'retrying', 'completed', 'failed')",
            name=op.f("ck_help_requests_analysis_status"),
        ),
        sa.CheckConstraint("status IN ('PENDING', 'ANALYZING', 'RESOLVED')", name=op.f("ck_help_requests_status")),
        sa.CheckConstraint("feedback_rating BETWEEN 1 AND 5", name=op.f("ck_help_requests_rating")),
        sa.ForeignKeyConstraint(
            ["lecture_id"], ["lectures.id"], name=op.f("fk_help_requests_lecture_id_lectures"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["session_participants.id"],
            name=op.f("fk_help_requests_participant_id_session_participants"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_sessions.id"],
            name=op.f("fk_help_requests_session_id_class_sessions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["step_id"], ["lecture_steps.id"], name=op.f("fk_help_requests_step_id_lecture_steps"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_help_requests_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_requests")),
    )
    op.create_index("ix_help_requests_lecture", "help_requests", ["lecture_id", "created_at"], unique=False)
    op.create_index(
        "ix_help_requests_session_pending",
        "help_requests",
        ["session_id", "created_at"],
        unique=False,
        postgresql_where=sa.text("status <> 'RESOLVED'"),
    )
    op.create_table(
        "session_screenshots",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("step_id", sa.Uuid(), nullable=True),
        sa.Column("key", sa.String(length=512), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["session_participants.id"],
            name=op.f("fk_session_screenshots_participant_id_session_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_sessions.id"],
            name=op.f("fk_session_screenshots_session_id_class_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["step_id"],
            ["lecture_steps.id"],
            name=op.f("fk_session_screenshots_step_id_lecture_steps"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_screenshots")),
    )
    op.create_index(
        "ix_session_screenshots_latest",
        "session_screenshots",
        ["session_id", "participant_id", sa.literal_column("created_at DESC")],
        unique=False,
    )
    op.create_table(
        "step_progress",
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("step_id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("help_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["session_participants.id"],
            name=op.f("fk_step_progress_participant_id_session_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_sessions.id"],
            name=op.f("fk_step_progress_session_id_class_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["step_id"], ["lecture_steps.id"], name=op.f("fk_step_progress_step_id_lecture_steps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("participant_id", "step_id", name=op.f("pk_step_progress")),
    )
    op.create_index(op.f("ix_step_progress_session_id"), "step_progress", ["session_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_step_progress_session_id"), table_name="step_progress")
    op.drop_table("step_progress")
    op.drop_index("ix_session_screenshots_latest", table_name="session_screenshots")
    op.drop_table("session_screenshots")
    op.drop_index(
        "ix_help_requests_session_pending", table_name="help_requests", postgresql_where=sa.text("status <> 'RESOLVED'")
    )
    op.drop_index("ix_help_requests_lecture", table_name="help_requests")
    op.drop_table("help_requests")
    op.drop_index(
        "uq_session_participants_user",
        table_name="session_participants",
        postgresql_where=sa.text("user_id IS NOT NULL"),
    )
    op.drop_index(
        "uq_session_participants_device",
        table_name="session_participants",
        postgresql_where=sa.text("device_id IS NOT NULL"),
    )
    op.drop_table("session_participants")
    op.drop_index(op.f("ix_session_controls_session_id"), table_name="session_controls")
    op.drop_table("session_controls")
    op.drop_index("uq_class_sessions_code", table_name="class_sessions")
    op.drop_index("ix_class_sessions_lecture", table_name="class_sessions")
    op.drop_index("ix_class_sessions_instructor", table_name="class_sessions")
    op.drop_table("class_sessions")
    op.drop_table("recording_events")
    op.drop_index("ix_lecture_steps_task", table_name="lecture_steps")
    op.drop_table("lecture_steps")
    op.drop_index("ix_recordings_owner", table_name="recordings")
    op.drop_table("recordings")
    op.drop_index("ix_lecture_tasks_lecture", table_name="lecture_tasks")
    op.drop_table("lecture_tasks")
    op.drop_index("ix_lecture_enrollments_user", table_name="lecture_enrollments")
    op.drop_table("lecture_enrollments")
    op.drop_index("ix_lectures_instructor", table_name="lectures")
    op.drop_table("lectures")
    op.drop_index("uq_activity_logs_event", table_name="activity_logs")
    op.drop_index("ix_activity_logs_session", table_name="activity_logs")
    op.drop_index(
        "ix_activity_logs_recording", table_name="activity_logs", postgresql_where=sa.text("recording_id IS NOT NULL")
    )
    op.drop_table("activity_logs")
