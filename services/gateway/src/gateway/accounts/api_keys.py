"""Use cases of API keys: create (shown once), list, delete."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from gateway.accounts.keys import new_api_key
from gateway.accounts.models import ApiKey
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import InvalidInput, NotFound

MAX_KEYS_PER_USER = 50


@dataclass(frozen=True)
class CreatedKey:
    record: ApiKey
    key: str  # the only time the whole key exists outside the caller's hands

    def __getattr__(self, name: str):  # reads like the record, plus `key`
        return getattr(self.record, name)


def create_api_key(uow: UnitOfWork, user_id: uuid.UUID, name: str) -> CreatedKey:
    key, prefix, secret_hash = new_api_key()
    record = ApiKey(
        id=uuid.uuid4(),
        user_id=user_id,
        name=name.strip(),
        prefix=prefix,
        secret_hash=secret_hash,
        created_at=datetime.now(UTC),
    )
    with uow as session:
        if len(_active(session, user_id)) >= MAX_KEYS_PER_USER:
            raise InvalidInput(f"At most {MAX_KEYS_PER_USER} API keys per user; delete one first.")
        session.add(record)
        uow.commit()
    return CreatedKey(record, key)


def list_api_keys(uow: UnitOfWork, user_id: uuid.UUID) -> list[ApiKey]:
    with uow as session:
        return _active(session, user_id)


def delete_api_key(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> None:
    """Revoke one of the caller's keys; another user's key is a 404 like a missing one."""
    try:
        key_id = uuid.UUID(raw_id)
    except ValueError:
        raise NotFound(f"'{raw_id[:64]}' is not an API key id (ids are UUIDs)") from None
    with uow as session:
        record = session.get(ApiKey, key_id, with_for_update=True)
        if record is None or record.user_id != user_id or record.revoked_at is not None:
            raise NotFound(f"no API key with id {key_id}")
        record.revoked_at = datetime.now(UTC)
        uow.commit()


def _active(session, user_id: uuid.UUID) -> list[ApiKey]:
    query = select(ApiKey).where(ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None)).order_by(ApiKey.created_at)
    return list(session.scalars(query))
