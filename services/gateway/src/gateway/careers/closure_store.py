"""The SQL of a closed account's erasure: every careers row its owner had, deleted."""

import uuid

from sqlalchemy import delete

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

    def erase(self, owner_id: uuid.UUID) -> None:
        """Delete the owner's profile and every row they own; sections, contents, turns and items go with them."""
        self._session.execute(delete(CareerProfile).where(CareerProfile.user_id == owner_id))
        for model in OWNED:
            self._session.execute(delete(model).where(model.owner_id == owner_id))
