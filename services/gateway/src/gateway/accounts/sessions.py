"""Use cases of sessions: sign in, refresh (rotating, with reuse detection), sign out.

A sign-in starts a session: a family of refresh tokens whose id is the `sid`
claim of every token issued in it. Each refresh uses up its token and issues
the next one. Presenting a used token again means it was stolen (or replayed):
the whole family is revoked, and so are the access tokens carrying its `sid`;
the push server is told too (gateway/accounts/revocations.py).
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from gateway.accounts import service as accounts
from gateway.accounts.models import RefreshToken, User
from gateway.accounts.passwords import hash_password, needs_rehash, verify_password
from gateway.accounts.revocation_notice import RevocationNotice
from gateway.accounts.revocations import revoke_sessions
from gateway.accounts.store import AccountStore
from gateway.accounts.throttle import Throttle
from gateway.accounts.tokens import ACCESS, REFRESH, InvalidToken, TokenService
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Forbidden, Unauthenticated

WRONG_CREDENTIALS = "Wrong e-mail/username or password."


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    token_type: str = "Bearer"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user, through a session's access token or an API key."""

    user_id: uuid.UUID
    roles: tuple[str, ...]
    session_id: uuid.UUID | None = None  # sessions only
    token_id: uuid.UUID | None = None  # the access token's jti, or the API key's id
    expires_at: int | None = None
    via: str = "session"  # or "api_key"


def login(uow: UnitOfWork, tokens: TokenService, throttle: Throttle, identifier: str, password: str, ip: str):
    """A new session for the right credentials; the same 401 for an unknown user, a wrong password, a spent account."""
    throttle.login(ip, identifier)
    user = accounts.find_for_login(uow, identifier)
    if user is not None and not throttle.account_allows(user.id):
        user = None  # answered as an unknown user, after the same work (throttle.py says why)
    if not verify_password(user.password_hash if user else None, password):
        raise Unauthenticated(WRONG_CREDENTIALS, invalid_token=False)
    if needs_rehash(user.password_hash):
        _rehash(uow, user.id, password)
    return start_session(uow, tokens, user)


def _rehash(uow: UnitOfWork, user_id: uuid.UUID, password: str) -> None:
    with uow:
        uow.store(AccountStore).set_password_hash(user_id, hash_password(password))
        uow.commit()


def start_session(uow: UnitOfWork, tokens: TokenService, user: User) -> TokenPair:
    with uow:
        store = uow.store(AccountStore)
        # A shared lock: a closure of the account (FOR UPDATE) waits for this session, or this sees it closed.
        if store.closed_at_for_share(user.id) is not None:
            raise Unauthenticated(WRONG_CREDENTIALS, invalid_token=False)
        pair = _issue_pair(store, tokens, user.id, tuple(user.roles), uuid.uuid4())
        uow.commit()
    return pair


def refresh(uow: UnitOfWork, tokens: TokenService, notice: RevocationNotice, refresh_token: str) -> TokenPair:
    """The next token pair of the session; a reused refresh token revokes the session."""
    claims = _verify(tokens, refresh_token, REFRESH)
    now = datetime.now(UTC)
    with uow:
        store = uow.store(AccountStore)
        row = store.refresh_token_for_update(uuid.UUID(claims["jti"]))
        if row is None or row.revoked_at is not None:
            raise Unauthenticated("This refresh token has been revoked; sign in again.")
        if row.used_at is not None:
            revoked = revoke_sessions(
                store, row.user_id, [row.family_id], "refresh_token_reused", tokens.access_ttl, now
            )
            uow.commit()
            notice.tell(revoked)
            raise Unauthenticated("This refresh token was already used; the session is revoked. Sign in again.")
        row.used_at = now
        roles = store.open_user_roles(row.user_id)
        if roles is None:  # closed while this token was being refreshed
            raise Unauthenticated("This account has been closed.")
        pair = _issue_pair(store, tokens, row.user_id, tuple(roles), row.family_id)
        uow.commit()
    return pair


def logout(uow: UnitOfWork, tokens: TokenService, notice: RevocationNotice, principal: Principal) -> None:
    """Revoke the caller's session (refresh tokens, access tokens, open push streams) and this access token."""
    if principal.via != "session":
        raise Forbidden("API keys have no session; delete the key at /api/api-keys/{id} instead.")
    now = datetime.now(UTC)
    with uow:
        store = uow.store(AccountStore)
        revoked = revoke_sessions(
            store, principal.user_id, [principal.session_id], "signed_out", tokens.access_ttl, now
        )
        store.add_revocation(principal.token_id, "jti", datetime.fromtimestamp(principal.expires_at, UTC))
        uow.commit()
    notice.tell(revoked)


def _issue_pair(
    store: AccountStore, tokens: TokenService, user_id: uuid.UUID, roles: tuple, sid: uuid.UUID
) -> TokenPair:
    access = tokens.issue(ACCESS, user_id, sid, roles=list(roles))
    refresh_token = tokens.issue(REFRESH, user_id, sid)
    issued = datetime.now(UTC)
    store.add(
        RefreshToken(
            jti=refresh_token.jti,
            family_id=sid,
            user_id=user_id,
            issued_at=issued,
            expires_at=datetime.fromtimestamp(refresh_token.expires_at, UTC),
        )
    )
    return TokenPair(access.token, refresh_token.token, tokens.access_ttl, tokens.refresh_ttl)


def _verify(tokens: TokenService, token: str, kind: str) -> dict:
    try:
        return tokens.verify(token, kind)
    except InvalidToken as error:
        raise Unauthenticated(f"Invalid {kind} token: {error}.") from None
