"""Where each reader of a RabbitMQ stream is: the offset it reads next, kept with what it stored."""

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.platform.models import Base


class StreamOffset(Base):
    """A stream reader's place, written in the transaction that stores what it read, so a restart resumes there."""

    __tablename__ = "stream_offsets"

    stream: Mapped[str] = mapped_column(String(255), primary_key=True)
    reader: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_offset: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime]
