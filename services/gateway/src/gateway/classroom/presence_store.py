"""The SQL of where a learner is: the step they started (step_progress), inside the caller's transaction."""

import uuid
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert

from gateway.classroom.models import StepProgress


class PresenceStore:
    def __init__(self, session):
        self._session = session

    def start_step(self, participant_id: uuid.UUID, session_id: uuid.UUID, step_id: uuid.UUID, now: datetime) -> bool:
        """The learner started the step now, unless they had before; True the first time."""
        statement = (
            insert(StepProgress)
            .values(
                participant_id=participant_id,
                step_id=step_id,
                session_id=session_id,
                started_at=now,
                attempts=0,
                help_count=0,
            )
            .on_conflict_do_nothing(index_elements=["participant_id", "step_id"])
            .returning(StepProgress.step_id)
        )
        return self._session.execute(statement).first() is not None
