"""Use cases of job postings: write, read one or a page, replace, soft-delete; the owner's only."""

import uuid
from datetime import UTC, datetime
from typing import Any

from gateway.careers import postings_store
from gateway.careers.documents import as_id
from gateway.careers.postings_store import PostingStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import NotFound


def _posting_id(raw: str) -> uuid.UUID:
    ident = as_id(raw)
    if ident is None:
        raise NotFound(f"'{str(raw)[:64]}' is not a job posting id (posting ids are UUIDs)")
    return ident


def _missing(posting_id: uuid.UUID) -> NotFound:
    return NotFound(f"no job posting with id {posting_id} among yours")


def create_posting(uow: UnitOfWork, owner_id: uuid.UUID, body: dict) -> Any:
    with uow:
        posting = uow.store(PostingStore).add(owner_id, body, datetime.now(UTC))
        uow.commit()
        return posting


def get_posting(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str) -> Any:
    """The owner's live posting; another's, a deleted or a missing one is a 404."""
    posting_id = _posting_id(raw_id)
    with uow:
        posting = uow.store(PostingStore).read(owner_id, posting_id)
    if posting is None:
        raise _missing(posting_id)
    return posting


def list_postings(
    uow: UnitOfWork, owner_id: uuid.UUID, page: int, size: int, title: str | None
) -> tuple[list[Any], int]:
    """One page of the owner's live postings, newest first, and how many there are."""
    with uow.reading() as conn:
        return postings_store.page(conn, owner_id, page, size, title)


def replace_posting(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str, body: dict) -> Any:
    posting_id = _posting_id(raw_id)
    with uow:
        posting = uow.store(PostingStore).replace(owner_id, posting_id, body, datetime.now(UTC))
        if posting is None:
            raise _missing(posting_id)
        uow.commit()
        return posting


def delete_posting(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str) -> None:
    """The posting leaves every read; feedback asked against it keeps its company and title."""
    posting_id = _posting_id(raw_id)
    with uow:
        if not uow.store(PostingStore).soft_delete(owner_id, posting_id, datetime.now(UTC)):
            raise _missing(posting_id)
        uow.commit()
