"""The SQL of career profiles: one row per user, read and upserted inside the caller's transaction."""

import uuid
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert

from gateway.careers.models import CareerProfile


class ProfileStore:
    """Plain methods over career_profiles."""

    def __init__(self, session):
        self._session = session

    def profile(self, user_id: uuid.UUID) -> CareerProfile | None:
        return self._session.get(CareerProfile, user_id)

    def put(self, user_id: uuid.UUID, fields: dict, now: datetime) -> CareerProfile:
        """Set `fields` of the user's profile (made on first use); the others keep their values."""
        values = {**fields, "updated_at": now}
        statement = insert(CareerProfile).values(user_id=user_id, **values)
        statement = statement.on_conflict_do_update(index_elements=[CareerProfile.user_id], set_=values)
        returned = statement.returning(CareerProfile).execution_options(populate_existing=True)
        return self._session.scalars(returned).one()
