"""The SQL of accepting activity: the checks of what a batch names, and its one outbox row."""

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.classroom.models import LectureStep, LectureTask, Recording

# The batch is the message: no row of its own until the activity consumer stores its events. It is queued only if
# every step it names is one of the session's lecture and every recording the caller's (RETURNING says it was).
QUEUE_BATCH_SQL = """
INSERT INTO outbox (message_id, exchange, routing_key, message_type, payload, headers, attempts)
SELECT %(message_id)s, %(exchange)s, %(routing_key)s, %(message_type)s, %(payload)s::jsonb, '{}', 0
WHERE cardinality(%(steps)s::uuid[]) = (
    SELECT count(*) FROM lecture_steps s JOIN lecture_tasks t ON t.id = s.task_id
    WHERE t.lecture_id = %(lecture_id)s AND s.id = ANY(%(steps)s::uuid[]))
  AND cardinality(%(recordings)s::uuid[]) = (
    SELECT count(*) FROM recordings WHERE owner_id = %(owner_id)s AND id = ANY(%(recordings)s::uuid[]))
RETURNING id
"""


class ActivityStore:
    def __init__(self, session: Session):
        self._session = session

    def steps_of_lecture(self, lecture_id: uuid.UUID, step_ids: set[uuid.UUID]) -> set[uuid.UUID]:
        """Those of `step_ids` that are steps of the lecture."""
        query = (
            select(LectureStep.id)
            .join(LectureTask, LectureTask.id == LectureStep.task_id)
            .where(LectureTask.lecture_id == lecture_id, LectureStep.id.in_(step_ids))
        )
        return set(self._session.scalars(query))

    def recordings_of(self, owner_id: uuid.UUID, recording_ids: set[uuid.UUID]) -> set[uuid.UUID]:
        """Those of `recording_ids` that are the owner's."""
        query = select(Recording.id).where(Recording.owner_id == owner_id, Recording.id.in_(recording_ids))
        return set(self._session.scalars(query))
