"""The job postings' SQL: an owner's live postings, one by id, a page of them, written and soft-deleted."""

import uuid
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy import bindparam, insert, select, update

from gateway.careers import owner_lists
from gateway.careers.models import JobPosting
from gateway.platform.db import compiled_sql, driver_connection

FIELDS = ("url", "title", "company", "qualification", "prefer", "end_date")
LIVE = JobPosting.deleted_at.is_(None)
COLUMNS = (JobPosting.id, *(getattr(JobPosting, name) for name in FIELDS), JobPosting.created_at, JobPosting.updated_at)
# One posting of its owner, built and compiled once: building it per read cost more CPU than reading it.
ONE = select(*COLUMNS).where(
    JobPosting.id == bindparam("posting_id"), JobPosting.owner_id == bindparam("owner_id"), LIVE
)


def read(conn: psycopg.Connection, owner_id: uuid.UUID, posting_id: uuid.UUID) -> Any | None:
    """The owner's live posting (a row with the answer's attributes), or None."""
    sql, _ = compiled_sql(ONE)
    cursor = conn.cursor(row_factory=namedtuple_row)
    return cursor.execute(sql, {"posting_id": posting_id, "owner_id": owner_id}, prepare=True).fetchone()


def page(
    conn: psycopg.Connection, owner_id: uuid.UUID, number: int, size: int, title: str | None
) -> tuple[list[Any], int]:
    """One page of the owner's live postings, newest first (their title holding `title`, in any case)."""
    return owner_lists.page(conn, JobPosting, COLUMNS, owner_id, number, size, title)


class PostingStore:
    """Plain methods over job postings (rows with the answer's attributes), inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def _own(self, owner_id: uuid.UUID, posting_id: uuid.UUID) -> tuple:
        return (JobPosting.id == posting_id, JobPosting.owner_id == owner_id, LIVE)

    def read(self, owner_id: uuid.UUID, posting_id: uuid.UUID) -> Any | None:
        """read(), inside this transaction."""
        return read(driver_connection(self._session), owner_id, posting_id)

    def add(self, owner_id: uuid.UUID, body: dict, now: datetime) -> Any:
        values = {name: body[name] for name in FIELDS}
        statement = insert(JobPosting).values(
            id=uuid.uuid4(), owner_id=owner_id, **values, created_at=now, updated_at=now
        )
        return self._session.execute(statement.returning(*COLUMNS)).one()

    def replace(self, owner_id: uuid.UUID, posting_id: uuid.UUID, body: dict, now: datetime) -> Any | None:
        """The owner's live posting with every field replaced, or None when there is none."""
        values = {name: body[name] for name in FIELDS}
        statement = update(JobPosting).where(*self._own(owner_id, posting_id)).values(**values, updated_at=now)
        return self._session.execute(statement.returning(*COLUMNS)).first()

    def soft_delete(self, owner_id: uuid.UUID, posting_id: uuid.UUID, now: datetime) -> bool:
        statement = update(JobPosting).where(*self._own(owner_id, posting_id)).values(deleted_at=now, updated_at=now)
        return self._session.execute(statement.returning(JobPosting.id)).first() is not None
