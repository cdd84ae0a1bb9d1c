"""Use cases of résumés: write one whole, read one or a page of them, replace, soft-delete, give it a photo."""

import uuid
from datetime import UTC, datetime
from typing import Any

from gateway.careers import photos, resumes_store, rules
from gateway.careers.documents import as_id
from gateway.careers.resumes_store import ResumeStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import NotFound
from shared.storage import ObjectStore


def _resume_id(raw: str) -> uuid.UUID:
    ident = as_id(raw)
    if ident is None:
        raise NotFound(f"'{str(raw)[:64]}' is not a résumé id (résumé ids are UUIDs)")
    return ident


def _missing(resume_id: uuid.UUID) -> NotFound:
    return NotFound(f"no résumé with id {resume_id} among yours")


def _shown(store: ObjectStore, resume: dict[str, Any]) -> dict[str, Any]:
    """The résumé with its photo's signed URL instead of its key."""
    key = resume.pop("photo_key")
    resume["photo_url"] = store.url(key, expires=rules.PHOTO_URL_SECONDS) if key else None
    return resume


def _found(store: ObjectStore, resume: dict[str, Any] | None, resume_id: uuid.UUID) -> dict[str, Any]:
    if resume is None:
        raise _missing(resume_id)
    return _shown(store, resume)


def _read(uow: UnitOfWork, store: ObjectStore, owner_id: uuid.UUID, resume_id: uuid.UUID) -> dict[str, Any]:
    return _found(store, uow.store(ResumeStore).read(owner_id, resume_id), resume_id)


def create_resume(uow: UnitOfWork, store: ObjectStore, owner_id: uuid.UUID, body: dict) -> dict[str, Any]:
    """A new résumé with its sections, in one transaction."""
    with uow:
        resume_id = uow.store(ResumeStore).add(owner_id, body, datetime.now(UTC))
        uow.commit()
        return _read(uow, store, owner_id, resume_id)


def get_resume(uow: UnitOfWork, store: ObjectStore, owner_id: uuid.UUID, raw_id: str) -> dict[str, Any]:
    """The owner's live résumé with every section; another's, a deleted or a missing one is a 404."""
    resume_id = _resume_id(raw_id)
    with uow.reading() as conn:  # one statement: no transaction around it
        resume = resumes_store.read(conn, owner_id, resume_id)
    return _found(store, resume, resume_id)


def list_resumes(
    uow: UnitOfWork, owner_id: uuid.UUID, page: int, size: int, title: str | None
) -> tuple[list[Any], int]:
    """One page of the owner's live résumés, newest first, and how many there are."""
    with uow.reading() as conn:
        return resumes_store.page(conn, owner_id, page, size, title)


def replace_resume(uow: UnitOfWork, store: ObjectStore, owner_id: uuid.UUID, raw_id: str, body: dict) -> dict[str, Any]:
    """Every field and section of the owner's résumé replaced, in one transaction (its photo is kept)."""
    resume_id = _resume_id(raw_id)
    with uow:
        if not uow.store(ResumeStore).replace(owner_id, resume_id, body, datetime.now(UTC)):
            raise _missing(resume_id)
        uow.commit()
        return _read(uow, store, owner_id, resume_id)


def delete_resume(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str) -> None:
    """The résumé leaves every read; the AI feedback on it stays readable."""
    resume_id = _resume_id(raw_id)
    with uow:
        if not uow.store(ResumeStore).soft_delete(owner_id, resume_id, datetime.now(UTC)):
            raise _missing(resume_id)
        uow.commit()


def set_photo(
    uow: UnitOfWork, store: ObjectStore, owner_id: uuid.UUID, raw_id: str, upload: photos.Upload | None
) -> dict[str, Any]:
    """The résumé's photo: checked by decoding it, its clean copy stored, then the résumé pointed at it."""
    resume_id = _resume_id(raw_id)
    with uow:
        if not uow.store(ResumeStore).exists(owner_id, resume_id):
            raise _missing(resume_id)
    key = photos.store_photo(store, resume_id, photos.checked_photo(upload))
    with uow:
        resumes = uow.store(ResumeStore)
        replaced = resumes.photo_key(owner_id, resume_id)  # the row locked: the next upload waits for this one
        if not resumes.set_photo(owner_id, resume_id, key, datetime.now(UTC)):
            photos.forget_photos(store, [key])  # deleted meanwhile: its new copy goes too
            raise _missing(resume_id)
        uow.commit()
        shown = _read(uow, store, owner_id, resume_id)
    photos.forget_photos(store, [replaced])
    return shown
