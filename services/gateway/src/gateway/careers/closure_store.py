"""The SQL of a closed account's erasure: every careers row its owner had, deleted."""

import uuid

from sqlalchemy import delete, select

from gateway.careers.models import (
    CareerProfile,
    Interview,
    JobPosting,
    Resume,
    ResumeFeedback,
    ResumeRewrite,
    StudyGuide,
)

# The AI work first, then what it was done on (their links are SET NULL, so any order holds; this one sets none).
OWNED = (StudyGuide, Interview, ResumeRewrite, ResumeFeedback, JobPosting, Resume)


class ClosureStore:
    """Plain methods over the careers tables, inside the closure's transaction."""

    def __init__(self, session):
        self._session = session

    def photo_keys(self, owner_id: uuid.UUID) -> list[str]:
        """The photos of every résumé the owner has, soft-deleted ones included."""
        query = select(Resume.photo_key).where(Resume.owner_id == owner_id, Resume.photo_key.is_not(None))
        return list(self._session.execute(query).scalars())

    def erase(self, owner_id: uuid.UUID) -> None:
        """Delete the owner's profile and every row they own; sections, contents, turns and items go with them."""
        self._session.execute(delete(CareerProfile).where(CareerProfile.user_id == owner_id))
        for model in OWNED:
            self._session.execute(delete(model).where(model.owner_id == owner_id))
