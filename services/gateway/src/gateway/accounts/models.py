"""Accounts: users, their refresh-token families, revoked tokens and API keys."""

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, CheckConstraint, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from gateway.platform.models import Base

ROLES = ("user", "artist", "instructor", "admin")


class User(Base):
    """Someone who signs in: with a password, with Google, or both."""

    __tablename__ = "users"
    __table_args__ = (
        Index("uq_users_email_lower", func.lower(text("email")), unique=True),
        Index("uq_users_username_lower", func.lower(text("username")), unique=True),
        CheckConstraint("follower_count >= 0 AND following_count >= 0", name="counters"),
        Index(
            "ix_users_artist_username_trgm",
            func.lower(text("username")).label("username_lower"),
            postgresql_using="gin",
            postgresql_ops={"username_lower": "gin_trgm_ops"},
            postgresql_where=text("'artist' = ANY (roles)"),
        ),
        Index(
            "ix_users_artist_username_prefix",
            func.lower(text("username")).label("username_lower"),
            postgresql_ops={"username_lower": "text_pattern_ops"},
            postgresql_where=text("'artist' = ANY (roles)"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    username: Mapped[str] = mapped_column(String(30))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(16)), server_default="{user}")
    email_verified: Mapped[bool] = mapped_column(default=False)
    google_sub: Mapped[str | None] = mapped_column(String(255), unique=True)
    follower_count: Mapped[int] = mapped_column(default=0, server_default="0")  # kept with the follows rows
    following_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]  # closed by its owner: no sign-in, no token holds, personal data anonymised


class RefreshToken(Base):
    """One refresh token; a login starts a family, each refresh adds the next token to it."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (Index("ix_refresh_tokens_family_id", "family_id"),)

    jti: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    family_id: Mapped[uuid.UUID]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class TokenRevocation(Base):
    """A revoked access-token `jti` or session (`sid`), kept until every token it covers has expired."""

    __tablename__ = "token_revocations"

    token_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # 'jti' or 'sid'
    expires_at: Mapped[datetime] = mapped_column(index=True)


class ApiKey(Base):
    """A machine client's key: only its SHA-256 is stored; the secret is shown once."""

    __tablename__ = "api_keys"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[bytes]
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
