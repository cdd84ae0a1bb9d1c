"""Asynchronous GPT jobs and their steps."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gateway.platform.models import Base

JOB_STATUSES = ("queued", "processing", "retrying", "completed", "failed", "cancelled")


class Job(Base):
    """One request to summarise a text and build a checklist from the summary."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(f"status IN {JOB_STATUSES}", name="status"),
        Index("ix_jobs_created_at_id", "created_at", "id"),
        Index("ix_jobs_owner_id_created_at_id", "owner_id", "created_at", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str | None] = mapped_column(Text)
    checklist: Mapped[list[Any] | None]
    provider: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(128))
    usage: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    last_event_at: Mapped[datetime | None]

    steps: Mapped[list["JobStep"]] = relationship(
        order_by="JobStep.position", cascade="all, delete-orphan", lazy="selectin"
    )


class JobStep(Base):
    """One step of a job's chain (summary, then checklist) with its own timing and usage."""

    __tablename__ = "job_steps"

    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int]
    status: Mapped[str] = mapped_column(String(16))
    provider: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(128))
    usage: Mapped[dict[str, Any] | None]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
