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

from gateway.accounts.store import AccountStore
from shared.messages import AccountClosed, SessionRevoked


def revoke_sessions(
    store: AccountStore, user_id: uuid.UUID, session_ids: list[uuid.UUID], reason: str, access_ttl: int, now: datetime
) -> list[SessionRevoked]:
    """End the sessions `session_ids` of `user_id`: refresh tokens, access tokens (by `sid`), push streams."""
    if not session_ids:
        return []
    store.revoke_refresh_tokens_of_sessions(session_ids, now)
    # Access tokens of a session live at most access_ttl from now: remember the sid that long.
    until = now + timedelta(seconds=access_ttl)
    messages = []
    for sid in session_ids:
        store.add_revocation(sid, "sid", until)
        message = SessionRevoked(
            user_id=str(user_id),
            session_id=str(sid),
            reason=reason,
            revoked_at=now.isoformat(),
            expires_at=until.isoformat(),
        )
        store.add_message(message)
        messages.append(message)
    return messages


def close_access(store: AccountStore, user_id: uuid.UUID, access_ttl: int, now: datetime) -> list[AccountClosed]:
    """Every credential of the account stops working: sessions, API keys, and open push streams."""
    store.revoke_refresh_tokens_of_user(user_id, now)
    store.revoke_api_keys(user_id, now)
    # The gateway refuses the account's access tokens by `users.closed_at`; the push server by this message.
    until = now + timedelta(seconds=access_ttl)
    message = AccountClosed(user_id=str(user_id), closed_at=now.isoformat(), expires_at=until.isoformat())
    store.add_message(message)
    return [message]
