"""Activity summed per learner and step, kept by the activity consumer as it stores events (for the step analysis)."""

import uuid
from datetime import datetime

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from gateway.platform.models import Base


class ActivityStepTotal(Base):
    """How many events a participant's app reported on a step, and the first and last one's time."""

    __tablename__ = "activity_step_totals"
    __table_args__ = (Index("ix_activity_step_totals_lecture", "lecture_id", "step_id"),)

    participant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)  # no foreign keys, as activity_logs
    step_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    session_id: Mapped[uuid.UUID | None]
    lecture_id: Mapped[uuid.UUID | None]
    events: Mapped[int]
    first_at: Mapped[datetime]
    last_at: Mapped[datetime]
