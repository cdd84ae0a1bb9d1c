"""Use cases of API keys: create (shown once), list, delete."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from gateway.accounts.keys import new_api_key
from gateway.accounts.models import ApiKey
from gateway.accounts.store import AccountStore
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
    with uow:
        store = uow.store(AccountStore)
        if len(store.active_api_keys(user_id)) >= MAX_KEYS_PER_USER:
            raise InvalidInput(f"At most {MAX_KEYS_PER_USER} API keys per user; delete one first.")
        store.add(record)
        uow.commit()
    return CreatedKey(record, key)


def list_api_keys(uow: UnitOfWork, user_id: uuid.UUID) -> list[ApiKey]:
    with uow:
        return uow.store(AccountStore).active_api_keys(user_id)


def delete_api_key(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> None:
    """Revoke one of the caller's keys; another user's key is a 404 like a missing one."""
    try:
        key_id = uuid.UUID(raw_id)
    except ValueError:
        raise NotFound(f"'{raw_id[:64]}' is not an API key id (ids are UUIDs)") from None
    with uow:
        record = uow.store(AccountStore).api_key_for_update(key_id)
        if record is None or record.user_id != user_id or record.revoked_at is not None:
            raise NotFound(f"no API key with id {key_id}")
        record.revoked_at = datetime.now(UTC)
        uow.commit()
