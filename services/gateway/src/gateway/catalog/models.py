"""The exam and course catalog, and who registered for what."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Identity, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.platform.models import Base

TEST_REGISTRATION_STATUSES = ("applied", "completed", "cancelled")
COURSE_REGISTRATION_STATUSES = ("enrolled", "completed", "cancelled")


WINDOW_INDEXES = {"created": "created_at", "price": "price", "start": "start_at"}


def _catalog_indexes(table: str) -> tuple:
    """One index per sort (with id as the tie-break for cursors), one per sort with the window, title search."""
    return (
        CheckConstraint("price >= 0", name="price"),
        CheckConstraint("end_at > start_at", name="window"),
        Index(f"ix_{table}_created", text("created_at DESC"), text("id DESC")),
        Index(f"ix_{table}_popular", text("registration_count DESC"), text("id DESC")),
        Index(f"ix_{table}_price", "price", "id"),
        Index(f"ix_{table}_start", "start_at", "id"),
        *_window_indexes(table),
        Index(f"ix_{table}_title_trgm", "title", postgresql_using="gin", postgresql_ops={"title": "gin_trgm_ops"}),
        # two-letter words, which trigrams cannot serve: catalog_bigrams() is defined by migration 0008
        Index(f"ix_{table}_title_bigrams", text("catalog_bigrams(title)"), postgresql_using="gin"),
    )


def _window_indexes(table: str) -> tuple:
    """`available` or a start_at range, in any order: GiST (btree_gist) indexes on (sort key, id, window), read
    in order of distance from one end of the sort (KNN), that skip every subtree whose window misses the filter.

    start_at is held in UTC without a zone, so that only its own index serves its order (see
    services.catalog_sql._gist_key). Popularity has two: every item not yet open has 0 registrations, and in
    one index those zeros shared subtrees with the open items' counts, so proving that none of the items
    starting next week has registrations searched thousands of pages.
    """
    key_first = [(f"ix_{table}_window_{sort}", key) for sort, key in WINDOW_INDEXES.items()]
    window = ("id", "start_at", "end_at")
    return (
        *(Index(name, key, *window, postgresql_using="gist") for name, key in key_first if key != "start_at"),
        Index(f"ix_{table}_window_start", text("timezone('UTC', start_at)"), "id", "end_at", postgresql_using="gist"),
        Index(f"ix_{table}_window_popular", "registration_count", *window, postgresql_using="gist",
              postgresql_where=text("registration_count > 0")),
        Index(f"ix_{table}_window_unregistered", "registration_count", *window, postgresql_using="gist",
              postgresql_where=text("registration_count = 0")),
    )  # fmt: skip


class CatalogItem:
    """Columns shared by exams and courses; prices are whole won."""

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    price: Mapped[int]
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    registration_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(server_default=text("now()"))
    updated_at: Mapped[datetime] = mapped_column(server_default=text("now()"))


class Exam(CatalogItem, Base):
    """An exam (the original system called them tests)."""

    __tablename__ = "tests"
    __table_args__ = _catalog_indexes("tests")


class Course(CatalogItem, Base):
    __tablename__ = "courses"
    __table_args__ = _catalog_indexes("courses")


class TestRegistration(Base):
    """A user's application to an exam: one row per (user, exam), reused if they apply again after cancelling."""

    __tablename__ = "test_registrations"
    __table_args__ = (
        UniqueConstraint("user_id", "test_id"),
        CheckConstraint(f"status IN {TEST_REGISTRATION_STATUSES}", name="status"),
        Index("ix_test_registrations_test_id", "test_id"),
    )
    __test__ = False  # not a pytest test class

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    test_id: Mapped[int] = mapped_column(ForeignKey("tests.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    payment_id: Mapped[uuid.UUID | None]
    applied_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]


class CourseRegistration(Base):
    """A user's enrolment in a course: one row per (user, course), reused after a cancellation."""

    __tablename__ = "course_registrations"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        CheckConstraint(f"status IN {COURSE_REGISTRATION_STATUSES}", name="status"),
        Index("ix_course_registrations_course_id", "course_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))
    payment_id: Mapped[uuid.UUID | None]
    enrolled_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
