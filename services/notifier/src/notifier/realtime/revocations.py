"""Revoked sessions and closed accounts on the push server: refused when they connect, cut when the news arrives.

The gateway puts a SessionRevoked or AccountClosed on its outbox in the
revoking transaction and records the Redis key at once (shared/revocations.py).
Every replica gets the message on its own queue, records the key too (so a
replica that starts later refuses the token even if the gateway's write was
lost), then closes the connections it covers. The periodic sweep checks every
open connection against the keys, for messages a replica missed while it was
away from the broker.

A connect is checked after its connection is registered with the hub, and a
message records its key before it closes connections: either the message
finds the new connection and closes it, or the check reads the key.
"""

import logging

from notifier.realtime.auth import Principal
from notifier.realtime.hub import Hub
from shared.messages import AccountClosed, SessionRevoked
from shared.revocations import RevocationKeys, ttl_seconds

log = logging.getLogger(__name__)
REVOKED_CLOSE = 4003  # WebSocket close code: do not reconnect with this token, sign in again
EXPLANATIONS = {
    "signed_out": "the session was signed out; sign in again",
    "refresh_token_reused": "the session was revoked (a refresh token was used twice); sign in again",
    "credentials_reset": "the session was revoked (the account's sign-in was reset); sign in again",
    "account_closed": "the account was closed",
}


def explain(reason: str) -> str:
    return EXPLANATIONS.get(reason, "the session was revoked; sign in again")


class Revocations:
    """The revocation keys over redis.asyncio, and what a revocation does to this replica's connections."""

    def __init__(self, client, keys: RevocationKeys):
        self._client = client
        self._keys = keys

    async def reason(self, principal: Principal) -> str | None:
        """Why `principal`'s token no longer holds (its account closed, its session revoked), or None."""
        session_key = self._keys.session(principal.user_id, principal.session_id)
        account, session = await self._client.mget(self._keys.account(principal.user_id), session_key)
        return account or session

    async def apply(self, hub: Hub, message: SessionRevoked | AccountClosed) -> None:
        """Record the key (first: see the module's note), then close the connections it covers."""
        key, reason = self._keys.of(message)
        try:
            await self._client.set(key, reason, ex=ttl_seconds(message.expires_at))
        finally:
            session_id = message.session_id if isinstance(message, SessionRevoked) else None
            closed = hub.close_user(message.user_id, explain(reason), REVOKED_CLOSE, session_id)
            if closed:
                log.info("closed %d push connections of user %s: %s", closed, message.user_id, reason)

    async def sweep(self, hub: Hub) -> None:
        """Close every connection here whose session or account has been revoked (one round trip)."""
        pairs = [(user, sid) for user, sids in hub.sessions().items() for sid in sids if sid]
        if not pairs:
            return
        pipe = self._client.pipeline(transaction=False)
        for user, sid in pairs:
            pipe.mget(self._keys.account(user), self._keys.session(user, sid))
        for (user, sid), (account, session) in zip(pairs, await pipe.execute(), strict=True):
            if account or session:
                hub.close_user(user, explain(account or session), REVOKED_CLOSE, None if account else sid)
