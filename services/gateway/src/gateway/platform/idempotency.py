"""Idempotency-Key (IETF httpapi draft): the first request with a key runs, a repeat gets its answer.

A key belongs to one caller (a user, or a learner's participant token) and one
request (method, path and body, hashed). While the first request runs, a
concurrent one with the same key gets 409; a different request under the same
key gets 422; after it, the stored answer is replayed.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert

from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Conflict, InvalidInput
from gateway.platform.idempotency_models import IdempotencyRecord

ABANDONED_AFTER = timedelta(seconds=60)  # longer than any request may run (gunicorn's timeout is 30 s)


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    body: dict | list | None
    headers: dict


def begin(uow: UnitOfWork, caller_id: uuid.UUID, key: str, fingerprint: bytes, ttl_hours: int) -> StoredAnswer | None:
    """Hold `key` for this request (None: go ahead), or the stored answer to replay."""
    now = datetime.now(UTC)
    where = (IdempotencyRecord.caller_id == caller_id, IdempotencyRecord.key == key)
    with uow as session:
        session.execute(delete(IdempotencyRecord).where(*where, IdempotencyRecord.expires_at < now))
        held = session.execute(
            insert(IdempotencyRecord)
            .values(
                caller_id=caller_id,
                key=key,
                request_fingerprint=fingerprint,
                created_at=now,
                expires_at=now + timedelta(hours=ttl_hours),
            )
            .on_conflict_do_nothing()
            .returning(IdempotencyRecord.key)
        ).scalar()
        record = None if held else session.get(IdempotencyRecord, (caller_id, key), with_for_update=True)
        if record is not None and record.status_code is None and record.created_at < now - ABANDONED_AFTER:
            record.created_at, record.request_fingerprint = now, fingerprint  # its request died: take the key over
            record = None
        uow.commit()
    if record is None:
        return None
    if record.request_fingerprint != fingerprint:
        raise InvalidInput("This Idempotency-Key was already used for a different request.", "Idempotency-Key")
    if record.status_code is None:
        raise Conflict("A request with this Idempotency-Key is still being processed; retry once it has finished.")
    return StoredAnswer(record.status_code, record.response_body, record.response_headers or {})


def finish(uow: UnitOfWork, caller_id: uuid.UUID, key: str, answer: StoredAnswer) -> None:
    with uow as session:
        session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.caller_id == caller_id, IdempotencyRecord.key == key)
            .values(status_code=answer.status, response_body=answer.body, response_headers=answer.headers)
        )
        uow.commit()


def release(uow: UnitOfWork, caller_id: uuid.UUID, key: str) -> None:
    """Forget a key whose request failed, so that a retry runs again."""
    with uow as session:
        session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.caller_id == caller_id, IdempotencyRecord.key == key)
        )
        uow.commit()
