"""Careers: résumés with their sections, job postings, and the AI work on them (feedback, rewrites, interviews, guides).

Everything a user deletes is soft-deleted (`deleted_at`): it leaves every read, and the AI work done on it stays
readable (a feedback keeps the résumé's title and the posting's company as they were when it was asked for).
"""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gateway.platform.models import Base

CAREER_STATUSES = ("queued", "processing", "retrying", "completed", "failed")
LIVE = "deleted_at IS NULL"


def _owner() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


def _newest_first(table: str, live: bool = True, titled: bool = False) -> Index:
    """The owner's list, newest first (deleted rows left out of the index when the table soft-deletes).

    `titled`: the title rides along in the index, so a title search within the owner's list and its count read
    the index alone, never another user's rows (a trigram index over every user's titles made the planner
    visit thousands of them for a common word).
    """
    options = {"postgresql_where": text(LIVE)} if live else {}
    if titled:
        options["postgresql_include"] = ["title"]
    return Index(f"ix_{table}_owner_new", "owner_id", text("created_at DESC"), text("id DESC"), **options)


def _titles_folded(table: str) -> Index:
    """The owner's live titles lower-cased, read by the count of a title search instead of lower() on every one."""
    return Index(
        f"ix_{table}_owner_title",
        "owner_id",
        text("lower(title)"),
        postgresql_include=["title"],
        postgresql_where=text(LIVE),
    )


def _resume_item() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("resumes.id", ondelete="CASCADE"))


def _in_order(table: str, parent: str) -> Index:
    """A child's rows by parent, in `position` order: a read of one parent's items (and a cascade) is an index scan,
    not a scan of every parent's."""
    return Index(f"ix_{table}_{parent}", parent, "position")


class Resume(Base):
    """A job seeker's structured résumé; its sections are child rows kept in their `position` order."""

    __tablename__ = "resumes"
    __table_args__ = (_newest_first("resumes", titled=True), _titles_folded("resumes"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID] = _owner()
    title: Mapped[str] = mapped_column(String(100))
    resume_type: Mapped[str] = mapped_column(String(10))  # a resume_type code (rules.CODES)
    name: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(200))
    gender: Mapped[str | None] = mapped_column(String(10))  # a gender code
    military_service: Mapped[str | None] = mapped_column(String(10))  # a military_service code
    birth_date: Mapped[date | None]
    self_introduction: Mapped[str | None] = mapped_column(Text)
    photo_key: Mapped[str | None] = mapped_column(String(512))  # the storage port's key
    source_feedback_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("resume_feedbacks.id", ondelete="SET NULL", use_alter=True)
    )  # the feedback this résumé was rewritten from
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]

    experiences: Mapped[list["Experience"]] = relationship(order_by="Experience.position", cascade="all, delete-orphan")
    educations: Mapped[list["Education"]] = relationship(order_by="Education.position", cascade="all, delete-orphan")
    projects: Mapped[list["Project"]] = relationship(order_by="Project.position", cascade="all, delete-orphan")
    activities: Mapped[list["Activity"]] = relationship(order_by="Activity.position", cascade="all, delete-orphan")
    qualifications: Mapped[list["Qualification"]] = relationship(
        order_by="Qualification.position", cascade="all, delete-orphan"
    )
    technology_stacks: Mapped[list["TechnologyStack"]] = relationship(
        order_by="TechnologyStack.position", cascade="all, delete-orphan"
    )


class Experience(Base):
    __tablename__ = "resume_experiences"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
        _in_order("resume_experiences", "resume_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    resume_id: Mapped[uuid.UUID] = _resume_item()
    position: Mapped[int]
    job_title: Mapped[str] = mapped_column(String(100))
    department: Mapped[str | None] = mapped_column(String(100))
    job_position: Mapped[str | None] = mapped_column(String(100))  # the API's `position` (the row's order is ours)
    job_description: Mapped[str | None] = mapped_column(String(1000))
    employment_status: Mapped[bool] = mapped_column(default=False)  # still employed there
    start_date: Mapped[date]
    end_date: Mapped[date | None]


class Education(Base):
    __tablename__ = "resume_educations"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
        _in_order("resume_educations", "resume_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    resume_id: Mapped[uuid.UUID] = _resume_item()
    position: Mapped[int]
    organ: Mapped[str] = mapped_column(String(100))
    department: Mapped[str | None] = mapped_column(String(100))
    degree_level: Mapped[str | None] = mapped_column(String(10))  # a degree code
    score: Mapped[str | None] = mapped_column(String(50))
    start_date: Mapped[date]
    end_date: Mapped[date | None]


class Project(Base):
    __tablename__ = "resume_projects"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
        _in_order("resume_projects", "resume_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    resume_id: Mapped[uuid.UUID] = _resume_item()
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(500))
    start_date: Mapped[date]
    end_date: Mapped[date | None]


class Activity(Base):
    __tablename__ = "resume_activities"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
        _in_order("resume_activities", "resume_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    resume_id: Mapped[uuid.UUID] = _resume_item()
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(500))
    start_date: Mapped[date]
    end_date: Mapped[date | None]


class Qualification(Base):
    __tablename__ = "resume_qualifications"
    __table_args__ = (_in_order("resume_qualifications", "resume_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    resume_id: Mapped[uuid.UUID] = _resume_item()
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(100))
    acquisition_date: Mapped[date]
    score: Mapped[str | None] = mapped_column(String(50))
    organ: Mapped[str | None] = mapped_column(String(100))


class TechnologyStack(Base):
    __tablename__ = "resume_technology_stacks"
    __table_args__ = (_in_order("resume_technology_stacks", "resume_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    resume_id: Mapped[uuid.UUID] = _resume_item()
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(100))


class JobPosting(Base):
    """A posting the user aims at: what it requires and prefers, until when."""

    __tablename__ = "job_postings"
    __table_args__ = (_newest_first("job_postings", titled=True), _titles_folded("job_postings"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID] = _owner()
    url: Mapped[str | None] = mapped_column(String(1000))
    title: Mapped[str] = mapped_column(String(30))
    company: Mapped[str] = mapped_column(String(30))
    qualification: Mapped[str] = mapped_column(String(300))
    prefer: Mapped[str] = mapped_column(String(300))
    end_date: Mapped[date | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    deleted_at: Mapped[datetime | None]


class _AsyncWork:
    """The columns every piece of careers AI work has: the platform's status vocabulary and its timeline."""

    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    error_code: Mapped[str | None] = mapped_column(String(64))
    provider: Mapped[str | None] = mapped_column(String(64))
    model: Mapped[str | None] = mapped_column(String(128))
    usage: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    last_event_at: Mapped[datetime | None]


class ResumeFeedback(_AsyncWork, Base):
    """AI feedback on a résumé, in general (`standard`) or against one posting (`posting`)."""

    __tablename__ = "resume_feedbacks"
    __table_args__ = (
        CheckConstraint(f"status IN {CAREER_STATUSES}", name="status"),
        CheckConstraint("kind IN ('standard', 'posting')", name="kind"),
        CheckConstraint("matching_rate BETWEEN 0 AND 100", name="matching_rate"),
        _newest_first("resume_feedbacks"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID] = _owner()
    kind: Mapped[str] = mapped_column(String(16))
    resume_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("resumes.id", ondelete="SET NULL"))
    posting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("job_postings.id", ondelete="SET NULL"))
    resume_title: Mapped[str] = mapped_column(String(100))  # as it was when asked for
    company: Mapped[str | None] = mapped_column(String(30))
    posting_title: Mapped[str | None] = mapped_column(String(30))
    parent_content: Mapped[str | None] = mapped_column(Text)  # the résumé as Markdown, from the worker
    matching_rate: Mapped[int | None]
    deleted_at: Mapped[datetime | None]

    contents: Mapped[list["FeedbackContent"]] = relationship(
        order_by="FeedbackContent.position", cascade="all, delete-orphan"
    )


class FeedbackContent(Base):
    """One point of a feedback, in a division (1 strengths, 2 must fix, 3 suggestions, 4 further recommendations)."""

    __tablename__ = "resume_feedback_contents"
    __table_args__ = (_in_order("resume_feedback_contents", "feedback_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    feedback_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resume_feedbacks.id", ondelete="CASCADE"))
    position: Mapped[int]
    division: Mapped[str] = mapped_column(String(10))  # a feedback_division code
    result: Mapped[str] = mapped_column(Text)


class ResumeRewrite(_AsyncWork, Base):
    """A request for a new résumé rewritten from a feedback; `resume_id` is the new résumé once completed."""

    __tablename__ = "resume_rewrites"
    __table_args__ = (CheckConstraint(f"status IN {CAREER_STATUSES}", name="status"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID] = _owner()
    feedback_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("resume_feedbacks.id", ondelete="SET NULL"))
    resume_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("resumes.id", ondelete="SET NULL"))


class Interview(_AsyncWork, Base):
    """A mock interview on a résumé (and a posting): turns of question, answer, evaluation; then an overall verdict.

    `status` is the status of the step the worker is doing or did last (the opening questions, an answer's
    evaluation, the final evaluation); `phase` says where the conversation is.
    """

    __tablename__ = "interviews"
    __table_args__ = (
        CheckConstraint(f"status IN {CAREER_STATUSES}", name="status"),
        CheckConstraint("phase IN ('opening', 'answering', 'finishing', 'finished')", name="phase"),
        _newest_first("interviews", live=False),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID] = _owner()
    resume_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("resumes.id", ondelete="SET NULL"))
    posting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("job_postings.id", ondelete="SET NULL"))
    resume_title: Mapped[str] = mapped_column(String(100))
    company: Mapped[str | None] = mapped_column(String(30))
    phase: Mapped[str] = mapped_column(String(16))
    step: Mapped[int] = mapped_column(default=0)  # bumped per requested step; a report for an older step is stale
    total_score: Mapped[int | None]
    scores: Mapped[dict[str, Any] | None]  # per competence, from the final evaluation
    overall: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None]

    turns: Mapped[list["InterviewTurn"]] = relationship(order_by="InterviewTurn.position", cascade="all, delete-orphan")


class InterviewTurn(Base):
    """One question of an interview, the candidate's answer and its evaluation, in conversation order."""

    __tablename__ = "interview_turns"
    __table_args__ = (_in_order("interview_turns", "interview_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    interview_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    position: Mapped[int]
    competence: Mapped[str | None] = mapped_column(String(40))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    evaluation: Mapped[str | None] = mapped_column(Text)
    score: Mapped[int | None]
    asked_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]


class StudyGuide(_AsyncWork, Base):
    """Study items built from the gaps a feedback found, or from a posting's requirements."""

    __tablename__ = "study_guides"
    __table_args__ = (
        CheckConstraint(f"status IN {CAREER_STATUSES}", name="status"),
        _newest_first("study_guides"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    owner_id: Mapped[uuid.UUID] = _owner()
    feedback_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("resume_feedbacks.id", ondelete="SET NULL"))
    posting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("job_postings.id", ondelete="SET NULL"))
    title: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    deleted_at: Mapped[datetime | None]

    items: Mapped[list["StudyItem"]] = relationship(order_by="StudyItem.position", cascade="all, delete-orphan")


class StudyItem(Base):
    """One thing to study: why, which keywords, how urgent (a study_priority code), about how long."""

    __tablename__ = "study_items"
    __table_args__ = (_in_order("study_items", "guide_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    guide_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("study_guides.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)
    keywords: Mapped[list[str]] = mapped_column(ARRAY(String(50)), server_default="{}")
    priority: Mapped[str] = mapped_column(String(10))
    estimated_hours: Mapped[int | None]


class CareerProfile(Base):
    """What a job seeker tells about themselves once (GET/PUT /api/users/me/profile); erased when the account closes."""

    __tablename__ = "career_profiles"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(30))
    address: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[date | None]
    gender: Mapped[str | None] = mapped_column(String(10))
    military_service: Mapped[str | None] = mapped_column(String(10))
    updated_at: Mapped[datetime]
