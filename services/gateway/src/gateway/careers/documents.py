"""Résumés and postings as the careers commands carry them (shared.messages.careers): plain dicts, no ids.

For the rest of the line (feedback, rewrites, interviews, study guides). Call the functions that take a unit
of work inside the caller's transaction (`with uow: ...`): nothing here commits, so a read and what the caller
records with it (a rewrite's new résumé and its completion) are one transaction. `read_resume` and `read_posting`
take a plain connection, for reads with nothing written in their transaction.

A résumé document is the API's résumé body: title, resume_type, name, email, phone, address, gender,
military_service, birth_date, self_introduction, and the six lists (experiences, educations, projects,
activities, qualifications, technology_stacks), each item as the API shows it without its id; dates are ISO
strings. A posting document is {title, company, qualification, prefer, end_date, url}.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

import marshmallow as ma

from gateway.careers import postings_store, resumes_store
from gateway.careers.postings_store import PostingStore
from gateway.careers.resumes_schemas import ResumeBody
from gateway.careers.resumes_store import FIELDS, SECTIONS, ResumeStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import InvalidInput
from gateway.platform.problems import flatten_messages

POSTING_FIELDS = ("title", "company", "qualification", "prefer", "end_date", "url")
_BODY = ResumeBody()


def as_id(value: uuid.UUID | str) -> uuid.UUID | None:
    """A UUID from an id or its text; None for text that is no id."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def resume_document(uow: UnitOfWork, owner_id: uuid.UUID, resume_id: uuid.UUID | str) -> dict[str, Any] | None:
    """The owner's live résumé as a document; None when it is missing, deleted or someone else's."""
    ident = as_id(resume_id)
    row = uow.store(ResumeStore).read(owner_id, ident) if ident else None
    return None if row is None else document_of(row)


def read_resume(conn, owner_id: uuid.UUID, resume_id: uuid.UUID) -> dict[str, Any] | None:
    """resume_document() on a plain connection (`with uow.reading() as conn`)."""
    row = resumes_store.read(conn, owner_id, resume_id)
    return None if row is None else document_of(row)


def document_of(resume: dict[str, Any]) -> dict[str, Any]:
    """A résumé as ResumeStore.read gives it, as a document."""
    document = {name: resume[name] for name in FIELDS}
    if document["birth_date"] is not None:
        document["birth_date"] = document["birth_date"].isoformat()
    for section in SECTIONS:
        document[section] = [{k: v for k, v in item.items() if k != "id"} for item in resume[section]]
    return document


def posting_document(uow: UnitOfWork, owner_id: uuid.UUID, posting_id: uuid.UUID | str) -> dict[str, Any] | None:
    """The owner's live job posting as a document; None when it is missing, deleted or someone else's."""
    ident = as_id(posting_id)
    row = uow.store(PostingStore).read(owner_id, ident) if ident else None
    return None if row is None else posting_document_of(row)


def read_posting(conn, owner_id: uuid.UUID, posting_id: uuid.UUID) -> dict[str, Any] | None:
    """posting_document() on a plain connection (`with uow.reading() as conn`)."""
    row = postings_store.read(conn, owner_id, posting_id)
    return None if row is None else posting_document_of(row)


def posting_document_of(posting) -> dict[str, Any]:
    """A posting as PostingStore.read gives it, as a document."""
    document = {name: getattr(posting, name) for name in POSTING_FIELDS}
    if document["end_date"] is not None:
        document["end_date"] = document["end_date"].isoformat()
    return document


def checked_resume(document: dict[str, Any]) -> dict[str, Any]:
    """A résumé document held to the API's rules (ResumeBody); InvalidInput naming the first field that breaks
    one (its JSON pointer in `field`, as `experiences/0/end_date`)."""
    try:
        return _BODY.load(document)
    except ma.ValidationError as error:
        problems = flatten_messages(error.messages, "json")
        first = problems[0]
        raise InvalidInput(f"{first['pointer'].lstrip('/')}: {first['detail']}", first["pointer"].lstrip("/")) from None


def add_resume_document(
    uow: UnitOfWork, owner_id: uuid.UUID, document: dict[str, Any], source_feedback_id: uuid.UUID | None = None
) -> uuid.UUID:
    """Store a NEW résumé for the owner from a document (checked as checked_resume, InvalidInput otherwise),
    linked to the feedback it was rewritten from; its id. Does not commit."""
    body = checked_resume(document)
    return uow.store(ResumeStore).add(owner_id, body, datetime.now(UTC), source_feedback_id)
