"""Use cases of the career profile (GET/PUT /api/users/me/profile): what a job seeker tells about themselves once.

A profile is made on its first PUT; until then every field reads as null. A PUT sets the fields it names (null
clears one) and keeps the others, as the original system's profile update did. It holds the account open while
it writes, so a closure that erases the profile never runs before it and misses what it wrote.
"""

import dataclasses
import uuid
from datetime import UTC, date, datetime

from gateway.accounts.closure import hold_open
from gateway.careers.profiles_store import ProfileStore
from gateway.platform.db import UnitOfWork

FIELDS = ("name", "phone", "address", "birth_date", "gender", "military_service")


@dataclasses.dataclass(frozen=True)
class Profile:
    name: str | None = None
    phone: str | None = None
    address: str | None = None
    birth_date: date | None = None
    gender: str | None = None  # a gender code (careers.rules.CODES)
    military_service: str | None = None  # a military_service code
    updated_at: datetime | None = None  # None until the first PUT


def get_profile(uow: UnitOfWork, user_id: uuid.UUID) -> Profile:
    """The caller's profile, every field null before the first PUT."""
    with uow:
        return _profile(uow.store(ProfileStore).profile(user_id))


def put_profile(uow: UnitOfWork, user_id: uuid.UUID, fields: dict) -> Profile:
    """Set the given fields of the caller's profile (checked by the schema); the profile as it is now."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    with uow:
        hold_open(uow, user_id)
        row = uow.store(ProfileStore).put(user_id, fields, datetime.now(UTC))
        profile = _profile(row)
        uow.commit()
        return profile


def _profile(row) -> Profile:
    if row is None:
        return Profile()
    return Profile(**{name: getattr(row, name) for name in (*FIELDS, "updated_at")})
