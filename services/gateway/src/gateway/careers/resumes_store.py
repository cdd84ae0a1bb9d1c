"""The résumés' SQL: a résumé with all its sections read in ONE statement, written with one statement per table.

A résumé's six sections are read as JSON arrays by correlated subqueries (json_agg in `position` order), so a
read costs the same single round trip whether the résumé has one item or fifty in each section. Reads (`read`,
`page`) take a psycopg connection: a plain one for a GET, the transaction's after a write. Writes insert each
section's rows in one multi-row INSERT; a PUT deletes the old rows first, in the caller's transaction.
"""

import functools
import uuid
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row
from sqlalchemy import Select, bindparam, delete, func, insert, literal_column, select, update
from sqlalchemy.dialects.postgresql import aggregate_order_by

from gateway.careers import owner_lists
from gateway.careers.models import Activity, Education, Experience, Project, Qualification, Resume, TechnologyStack
from gateway.platform.db import compiled_sql, driver_connection

# section -> (model, API field -> column); an experience's `position` is the column `job_position`
SECTIONS: dict[str, tuple[type, dict[str, str]]] = {
    "experiences": (
        Experience,
        {
            "job_title": "job_title",
            "department": "department",
            "position": "job_position",
            "job_description": "job_description",
            "employment_status": "employment_status",
            "start_date": "start_date",
            "end_date": "end_date",
        },
    ),
    "educations": (
        Education,
        {name: name for name in ("organ", "department", "degree_level", "score", "start_date", "end_date")},
    ),
    "projects": (Project, {name: name for name in ("title", "description", "start_date", "end_date")}),
    "activities": (Activity, {name: name for name in ("title", "description", "start_date", "end_date")}),
    "qualifications": (Qualification, {name: name for name in ("title", "acquisition_date", "score", "organ")}),
    "technology_stacks": (TechnologyStack, {"name": "name"}),
}
FIELDS = (
    "title",
    "resume_type",
    "name",
    "email",
    "phone",
    "address",
    "gender",
    "military_service",
    "birth_date",
    "self_introduction",
)
LIVE = Resume.deleted_at.is_(None)
PAGE_COLUMNS = (Resume.id, Resume.title, Resume.resume_type, Resume.created_at, Resume.updated_at)


def _section(model: type, columns: dict[str, str]):
    """The section's items as a JSON array of objects ({id, field: value, ...}), in their order; [] when none."""
    pairs = [literal_column("'id'"), model.id]
    for field, column in columns.items():
        pairs += [literal_column(f"'{field}'"), getattr(model, column)]
    items = func.json_agg(aggregate_order_by(func.json_build_object(*pairs), model.position))
    return select(func.coalesce(items, literal_column("'[]'::json"))).where(model.resume_id == Resume.id)


@functools.cache
def whole() -> Select:
    """The owner's live résumé by id, every section included: one statement."""
    sections = [_section(model, columns).scalar_subquery().label(name) for name, (model, columns) in SECTIONS.items()]
    own = (Resume.id, *(getattr(Resume, name) for name in FIELDS), Resume.photo_key, Resume.source_feedback_id)
    return select(*own, Resume.created_at, Resume.updated_at, *sections)


@functools.cache
def one_whole() -> Select:
    """whole() for one résumé of its owner, built once: SQLAlchemy keeps its cache key (1 ms of CPU to work out
    again on every read of a statement this size) and its compiled form."""
    return whole().where(Resume.id == bindparam("resume_id"), Resume.owner_id == bindparam("owner_id"), LIVE)


def read(conn: psycopg.Connection, owner_id: uuid.UUID, resume_id: uuid.UUID) -> dict[str, Any] | None:
    """The owner's live résumé with its sections (items as dicts, dates as ISO strings), or None."""
    sql, _ = compiled_sql(one_whole())
    cursor = conn.cursor(row_factory=dict_row)
    return cursor.execute(sql, {"resume_id": resume_id, "owner_id": owner_id}, prepare=True).fetchone()


def page(
    conn: psycopg.Connection, owner_id: uuid.UUID, number: int, size: int, title: str | None
) -> tuple[list[Any], int]:
    """One page of the owner's live résumés, newest first (their title holding `title`, in any case)."""
    return owner_lists.page(conn, Resume, PAGE_COLUMNS, owner_id, number, size, title)


class ResumeStore:
    """Plain methods over résumés and their sections, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def read(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> dict[str, Any] | None:
        """read(), inside this transaction (a résumé just written)."""
        return read(driver_connection(self._session), owner_id, resume_id)

    def add(
        self, owner_id: uuid.UUID, body: dict, now: datetime, source_feedback_id: uuid.UUID | None = None
    ) -> uuid.UUID:
        """A new résumé from a loaded body (ResumeBody), its sections included."""
        resume_id = uuid.uuid4()
        values = {name: body[name] for name in FIELDS}
        self._session.execute(
            insert(Resume).values(
                id=resume_id,
                owner_id=owner_id,
                **values,
                source_feedback_id=source_feedback_id,
                created_at=now,
                updated_at=now,
            )
        )
        self._add_sections(resume_id, body)
        return resume_id

    def replace(self, owner_id: uuid.UUID, resume_id: uuid.UUID, body: dict, now: datetime) -> bool:
        """The owner's live résumé's fields and sections replaced by a loaded body; False when there is none."""
        values = {name: body[name] for name in FIELDS}
        changed = self._session.execute(
            update(Resume)
            .where(Resume.id == resume_id, Resume.owner_id == owner_id, LIVE)
            .values(**values, updated_at=now)
            .returning(Resume.id)
        ).first()
        if changed is None:
            return False
        for model, _ in SECTIONS.values():
            self._session.execute(delete(model).where(model.resume_id == resume_id))
        self._add_sections(resume_id, body)
        return True

    def _add_sections(self, resume_id: uuid.UUID, body: dict) -> None:
        for name, (model, columns) in SECTIONS.items():
            rows = [
                {"id": uuid.uuid4(), "resume_id": resume_id, "position": position}
                | {column: item.get(field) for field, column in columns.items()}
                for position, item in enumerate(body[name])
            ]
            if rows:
                self._session.execute(insert(model), rows)

    def soft_delete(self, owner_id: uuid.UUID, resume_id: uuid.UUID, now: datetime) -> bool:
        """The owner's live résumé marked deleted; False when there is none."""
        return self._set(owner_id, resume_id, deleted_at=now, updated_at=now)

    def photo_key(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> str | None:
        """The owner's live résumé's photo key (None: none, or no such résumé), its row locked for the change."""
        query = select(Resume.photo_key).where(Resume.id == resume_id, Resume.owner_id == owner_id, LIVE)
        return self._session.execute(query.with_for_update()).scalar()

    def set_photo(self, owner_id: uuid.UUID, resume_id: uuid.UUID, key: str, now: datetime) -> bool:
        return self._set(owner_id, resume_id, photo_key=key, updated_at=now)

    def exists(self, owner_id: uuid.UUID, resume_id: uuid.UUID) -> bool:
        query = select(Resume.id).where(Resume.id == resume_id, Resume.owner_id == owner_id, LIVE)
        return self._session.execute(query).first() is not None

    def _set(self, owner_id: uuid.UUID, resume_id: uuid.UUID, **values) -> bool:
        statement = (
            update(Resume)
            .where(Resume.id == resume_id, Resume.owner_id == owner_id, LIVE)
            .values(**values)
            .returning(Resume.id)
        )
        return self._session.execute(statement).first() is not None
