"""The participants' SQL inside a transaction: who joined (one row per user or device), their progress on steps."""

import uuid
from collections import defaultdict
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm.attributes import set_committed_value

from gateway.accounts.models import User
from gateway.classroom.models import ClassSession, HelpRequest, Participant, StepProgress


class LearnerRow(NamedTuple):
    id: uuid.UUID
    session_id: uuid.UUID
    lecture_id: uuid.UUID
    code: str
    status: str
    user_id: uuid.UUID | None
    device_id: str | None
    display_name: str


LEARNER = select(
    Participant.id,
    Participant.session_id,
    ClassSession.lecture_id,
    ClassSession.code,
    ClassSession.status,
    Participant.user_id,
    Participant.device_id,
    Participant.display_name,
).join(ClassSession, ClassSession.id == Participant.session_id)


class ParticipantStore:
    """Plain methods over participants and their step progress, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def learner(
        self, session_id: uuid.UUID, participant_id: uuid.UUID | None = None, user_id: uuid.UUID | None = None
    ) -> LearnerRow | None:
        """The session's participant with this id, or the one this user is; None if there is none."""
        query = LEARNER.where(Participant.session_id == session_id)
        if participant_id is not None:
            query = query.where(Participant.id == participant_id)
        else:
            query = query.where(Participant.user_id == user_id)
        row = self._session.execute(query).first()
        return None if row is None else LearnerRow(*row)

    def username(self, user_id: uuid.UUID) -> str:
        return self._session.scalar(select(User.username).where(User.id == user_id)) or "learner"

    def join(self, values: dict, who: str, rename: bool = True) -> tuple[Participant, bool]:
        """The session's participant for this user or device (`who`), made on the first join: (it, made now).

        One row however often or at once they join: an upsert on the unique index of `who`; a rejoin takes the
        display name given if `rename`.
        """
        statement = insert(Participant).values(**values)
        key = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=["session_id", who],
            index_where=text(f"{who} IS NOT NULL"),
            set_={"last_active_at": key.last_active_at} | ({"display_name": key.display_name} if rename else {}),
        ).returning(Participant.id, text("xmax = 0 AS made"))
        participant_id, made = self._session.execute(statement).one()
        participant = self._session.get(Participant, participant_id, populate_existing=True)
        return participant, made

    def wake(self, participant: Participant, session: ClassSession) -> None:
        """A returning learner of a started session: active again, on the session's step."""
        participant.status = "ACTIVE"
        self.place(participant, session.current_step_id, session)

    def place(self, participant: Participant, step_id: uuid.UUID | None, session: ClassSession) -> None:
        """Put the participant on `step_id` as of the session's moves so far (it follows the moves after this)."""
        participant.own_step_id, participant.own_step_seq = step_id, session.step_seq
        set_committed_value(participant, "current_step_id", step_id)  # what a reload would read: no statement

    def all(self, session_id: uuid.UUID) -> list[Participant]:
        query = select(Participant).where(Participant.session_id == session_id)
        return list(self._session.scalars(query.order_by(Participant.joined_at, Participant.id)))

    def get(self, participant_id: uuid.UUID) -> Participant | None:
        return self._session.get(Participant, participant_id)

    def locked(self, participant_id: uuid.UUID) -> Participant | None:
        query = select(Participant).where(Participant.id == participant_id).with_for_update()
        return self._session.scalars(query.execution_options(populate_existing=True)).first()

    def complete(self, participant_id: uuid.UUID, session_id: uuid.UUID, step_id: uuid.UUID, now: datetime) -> bool:
        """Mark the step completed for the participant; True only the first time (a repeat changes nothing)."""
        statement = (
            insert(StepProgress)
            .values(
                participant_id=participant_id,
                step_id=step_id,
                session_id=session_id,
                started_at=now,
                completed_at=now,
                attempts=1,
                help_count=0,
            )
            .on_conflict_do_update(
                index_elements=["participant_id", "step_id"],
                set_={"completed_at": now, "attempts": StepProgress.attempts + 1},
                where=StepProgress.completed_at.is_(None),
            )
            .returning(StepProgress.step_id)
        )
        return self._session.execute(statement).first() is not None

    def completed(self, session_id: uuid.UUID) -> dict[uuid.UUID, list[uuid.UUID]]:
        """Each participant's completed steps, in the order they completed them."""
        rows = self._session.execute(
            select(StepProgress.participant_id, StepProgress.step_id)
            .where(StepProgress.session_id == session_id, StepProgress.completed_at.is_not(None))
            .order_by(StepProgress.completed_at, StepProgress.step_id)
        ).all()
        done: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        for participant_id, step_id in rows:
            done[participant_id].append(step_id)
        return done

    def pending_help(self, session_id: uuid.UUID) -> set[uuid.UUID]:
        """The participants with a help request not yet resolved."""
        query = select(HelpRequest.participant_id).where(
            HelpRequest.session_id == session_id, HelpRequest.status != "RESOLVED"
        )
        return {row for row in self._session.scalars(query) if row is not None}

    def help_by_step(self, session_id: uuid.UUID) -> list[tuple[uuid.UUID | None, int, int]]:
        """(step id, help requests, resolved ones) of the session, most asked first."""
        resolved = func.count().filter(HelpRequest.status == "RESOLVED")
        query = (
            select(HelpRequest.step_id, func.count(), resolved)
            .where(HelpRequest.session_id == session_id)
            .group_by(HelpRequest.step_id)
            .order_by(func.count().desc())
        )
        return [tuple(row) for row in self._session.execute(query).all()]

    def touch(self, participant_id: uuid.UUID, now: datetime) -> None:
        self._session.execute(update(Participant).where(Participant.id == participant_id).values(last_active_at=now))
