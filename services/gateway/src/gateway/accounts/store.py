"""The accounts' SQL: users, API keys, refresh tokens, revocations and their messages, inside one transaction.

Rows come back as the ORM loaded them; a change the service makes to one is
written when the transaction flushes, as before the store existed.
"""

import uuid
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError

from gateway.accounts.models import ApiKey, RefreshToken, TokenRevocation, User
from gateway.notifications.models import WebhookEndpoint
from gateway.platform.outbox import add_message
from shared.messages import Message

# A commit that broke a unique index (an e-mail, a username or a Google id taken by a concurrent request).
Taken = IntegrityError


class AccountStore:
    """Plain methods over the accounts' tables, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def add(self, record: User | ApiKey | RefreshToken) -> None:
        """A new row, inserted when the transaction flushes."""
        self._session.add(record)

    def add_message(self, message: Message) -> None:
        add_message(self._session, message)

    # users

    def user(self, user_id: uuid.UUID, for_update: bool = False) -> User | None:
        return self._session.get(User, user_id, with_for_update=True if for_update else None)

    def taken(self, email: str, username: str) -> tuple[bool, bool] | None:
        """(e-mail taken, username taken) when either is, case-insensitively; else None."""
        return self._session.execute(
            select(func.lower(User.email) == email, func.lower(User.username) == username.lower()).where(
                or_(func.lower(User.email) == email, func.lower(User.username) == username.lower())
            )
        ).first()

    def open_user_by_login(self, identifier: str) -> User | None:
        """The open account whose e-mail (when `identifier` has an @) or username is `identifier` (lower case)."""
        column = func.lower(User.email) if "@" in identifier else func.lower(User.username)
        return self._session.scalars(select(User).where(column == identifier, User.closed_at.is_(None))).first()

    def open_user_by_google_sub(self, sub: str) -> User | None:
        return self._session.scalars(select(User).where(User.google_sub == sub, User.closed_at.is_(None))).first()

    def open_user_by_email(self, email: str) -> User | None:
        return self._session.scalars(
            select(User).where(func.lower(User.email) == email, User.closed_at.is_(None))
        ).first()

    def username_taken(self, username: str) -> bool:
        return bool(self._session.scalar(select(User.id).where(func.lower(User.username) == username.lower())))

    def set_password_hash(self, user_id: uuid.UUID, password_hash: str) -> None:
        self._session.execute(update(User).where(User.id == user_id).values(password_hash=password_hash))

    def closed_at_for_share(self, user_id: uuid.UUID) -> datetime | None:
        """The account's closed_at under a shared lock (a closure, FOR UPDATE, waits for the caller)."""
        closed = select(User.closed_at).where(User.id == user_id).with_for_update(read=True)
        return self._session.execute(closed).scalar_one_or_none()

    def open_user_roles(self, user_id: uuid.UUID) -> list[str] | None:
        """The roles of the account, or None once it is closed."""
        return self._session.scalar(select(User.roles).where(User.id == user_id, User.closed_at.is_(None)))

    # API keys

    def active_api_keys(self, user_id: uuid.UUID) -> list[ApiKey]:
        query = select(ApiKey).where(ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None)).order_by(ApiKey.created_at)
        return list(self._session.scalars(query))

    def api_key_for_update(self, key_id: uuid.UUID) -> ApiKey | None:
        return self._session.get(ApiKey, key_id, with_for_update=True)

    def revoke_api_keys(self, user_id: uuid.UUID, now: datetime) -> None:
        self._session.execute(
            update(ApiKey).where(ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None)).values(revoked_at=now)
        )

    # sessions (families of refresh tokens) and revocations

    def refresh_token_for_update(self, jti: uuid.UUID) -> RefreshToken | None:
        return self._session.get(RefreshToken, jti, with_for_update=True)

    def session_started(self, session_id: uuid.UUID) -> datetime | None:
        """When the session's first refresh token was issued (its sign-in), or None."""
        return self._session.scalar(
            select(func.min(RefreshToken.issued_at)).where(RefreshToken.family_id == session_id)
        )

    def live_sessions(self, user_id: uuid.UUID, now: datetime) -> list[uuid.UUID]:
        query = select(RefreshToken.family_id).where(
            RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None), RefreshToken.expires_at > now
        )
        return list(self._session.scalars(query.distinct()))

    def revoke_refresh_tokens_of_sessions(self, session_ids: list[uuid.UUID], now: datetime) -> None:
        self._session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id.in_(session_ids), RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def revoke_refresh_tokens_of_user(self, user_id: uuid.UUID, now: datetime) -> None:
        self._session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def add_revocation(self, token_id: uuid.UUID, kind: str, expires_at: datetime) -> None:
        """Remember a revoked `jti` or `sid` until `expires_at` (the later of two revocations wins)."""
        statement = insert(TokenRevocation).values(token_id=token_id, kind=kind, expires_at=expires_at)
        self._session.execute(
            statement.on_conflict_do_update(
                index_elements=[TokenRevocation.token_id],
                set_={"expires_at": func.greatest(TokenRevocation.expires_at, statement.excluded.expires_at)},
            )
        )

    # webhook endpoints

    def disable_webhooks(self, user_id: uuid.UUID, reason: str, now: datetime) -> None:
        """Switch off the user's enabled webhook endpoints."""
        self._session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.user_id == user_id, WebhookEndpoint.enabled)
            .values(enabled=False, disabled_reason=reason, disabled_at=now, updated_at=now)
        )
