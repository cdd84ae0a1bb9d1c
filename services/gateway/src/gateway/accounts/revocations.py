"""Ending sessions and accounts' access: what makes the gateway refuse their tokens, and the push server too.

Every revocation goes through here, so none can skip the push server. Inside
the caller's transaction it revokes the refresh tokens, records the `sid` the
gateway checks on every request, and puts a SessionRevoked (or AccountClosed)
on the outbox: the notifier receives it on every replica, closes the streams
it covers and refuses its tokens. The caller hands the returned messages to a
RevocationNotice after the commit, which records them in Redis at once.
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert

from gateway.accounts.models import ApiKey, RefreshToken, TokenRevocation
from gateway.platform.outbox import add_message
from shared.messages import AccountClosed, SessionRevoked


def revoke_sessions(
    session, user_id: uuid.UUID, session_ids: list[uuid.UUID], reason: str, access_ttl: int, now: datetime
) -> list[SessionRevoked]:
    """End the sessions `session_ids` of `user_id`: refresh tokens, access tokens (by `sid`), push streams."""
    if not session_ids:
        return []
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id.in_(session_ids), RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    # Access tokens of a session live at most access_ttl from now: remember the sid that long.
    until = now + timedelta(seconds=access_ttl)
    messages = []
    for sid in session_ids:
        add_revocation(session, sid, "sid", until)
        message = SessionRevoked(
            user_id=str(user_id),
            session_id=str(sid),
            reason=reason,
            revoked_at=now.isoformat(),
            expires_at=until.isoformat(),
        )
        add_message(session, message)
        messages.append(message)
    return messages


def live_sessions(session, user_id: uuid.UUID, now: datetime) -> list[uuid.UUID]:
    """The user's sessions whose tokens may still verify (the newest refresh token outlives its access token)."""
    query = select(RefreshToken.family_id).where(
        RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None), RefreshToken.expires_at > now
    )
    return list(session.scalars(query.distinct()))


def close_access(session, user_id: uuid.UUID, access_ttl: int, now: datetime) -> list[AccountClosed]:
    """Every credential of the account stops working: sessions, API keys, and open push streams."""
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.execute(update(ApiKey).where(ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None)).values(revoked_at=now))
    # The gateway refuses the account's access tokens by `users.closed_at`; the push server by this message.
    until = now + timedelta(seconds=access_ttl)
    message = AccountClosed(user_id=str(user_id), closed_at=now.isoformat(), expires_at=until.isoformat())
    add_message(session, message)
    return [message]


def add_revocation(session, token_id: uuid.UUID, kind: str, expires_at: datetime) -> None:
    """Remember a revoked `jti` or `sid` until `expires_at` (the later of two revocations wins)."""
    statement = insert(TokenRevocation).values(token_id=token_id, kind=kind, expires_at=expires_at)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[TokenRevocation.token_id],
            set_={"expires_at": func.greatest(TokenRevocation.expires_at, statement.excluded.expires_at)},
        )
    )
