"""Stored answers for Idempotency-Key."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from gateway.platform.models import Base


class IdempotencyRecord(Base):
    """The stored answer to a POST made with an Idempotency-Key (IETF draft), per caller and key."""

    __tablename__ = "idempotency_keys"

    # the signed-in user's id, or a participant token's participant's (a learner without an account): no
    # foreign key, as a caller is one or the other; a key outlives neither, as it expires within a day
    caller_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_fingerprint: Mapped[bytes] = mapped_column(LargeBinary)  # method, path and body, hashed
    status_code: Mapped[int | None]  # None while the first request is still running
    response_body: Mapped[dict[str, Any] | None]
    response_headers: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
