"""The screenshots' SQL inside a transaction: add one, and the latest of each participant of a session."""

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import distinct_on

from gateway.classroom.models import Participant, Screenshot


class ScreenshotStore:
    """Plain methods over learners' screenshots, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def add(self, screenshot: Screenshot) -> None:
        self._session.add(screenshot)

    def latest(self, session_id: uuid.UUID) -> list[tuple[Screenshot, Participant]]:
        """Each participant's newest screenshot in the session, in the participants' joining order."""
        newest = (
            select(Screenshot)
            .where(Screenshot.session_id == session_id)
            .ext(distinct_on(Screenshot.participant_id))
            .order_by(Screenshot.participant_id, Screenshot.created_at.desc(), Screenshot.id.desc())
            .subquery()
        )
        query = (
            select(Screenshot, Participant)
            .join(newest, newest.c.id == Screenshot.id)
            .join(Participant, Participant.id == Screenshot.participant_id)
            .order_by(Participant.joined_at, Participant.id)
        )
        return [tuple(row) for row in self._session.execute(query).all()]
