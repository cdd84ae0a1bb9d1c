"""Use cases of sessions: sign in, refresh (rotating, with reuse detection), sign out.

A sign-in starts a session: a family of refresh tokens whose id is the `sid`
claim of every token issued in it. Each refresh uses up its token and issues
the next one. Presenting a used token again means it was stolen (or replayed):
the whole family is revoked, and so are the access tokens carrying its `sid`.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert

from gateway.db import UnitOfWork
from gateway.models import RefreshToken, TokenRevocation, User
from gateway.security.passwords import hash_password, needs_rehash, verify_password
from gateway.security.tokens import ACCESS, REFRESH, InvalidToken, TokenService
from gateway.services import accounts
from gateway.services.errors import Forbidden, Unauthenticated
from gateway.services.throttle import Throttle

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
    with uow as session:
        session.execute(update(User).where(User.id == user_id).values(password_hash=hash_password(password)))
        uow.commit()


def start_session(uow: UnitOfWork, tokens: TokenService, user: User) -> TokenPair:
    with uow as session:
        pair = _issue_pair(session, tokens, user.id, tuple(user.roles), uuid.uuid4())
        uow.commit()
    return pair


def refresh(uow: UnitOfWork, tokens: TokenService, refresh_token: str) -> TokenPair:
    """The next token pair of the session; a reused refresh token revokes the session."""
    claims = _verify(tokens, refresh_token, REFRESH)
    now = datetime.now(UTC)
    with uow as session:
        row = session.get(RefreshToken, uuid.UUID(claims["jti"]), with_for_update=True)
        if row is None or row.revoked_at is not None:
            raise Unauthenticated("This refresh token has been revoked; sign in again.")
        if row.used_at is not None:
            _revoke_session(session, tokens, row.family_id, now)
            uow.commit()
            raise Unauthenticated("This refresh token was already used; the session is revoked. Sign in again.")
        row.used_at = now
        roles = session.scalar(select(User.roles).where(User.id == row.user_id))
        pair = _issue_pair(session, tokens, row.user_id, tuple(roles), row.family_id)
        uow.commit()
    return pair


def logout(uow: UnitOfWork, tokens: TokenService, principal: Principal) -> None:
    """Revoke the caller's session (its refresh tokens and access tokens) and this access token."""
    if principal.via != "session":
        raise Forbidden("API keys have no session; delete the key at /api/api-keys/{id} instead.")
    now = datetime.now(UTC)
    with uow as session:
        _revoke_session(session, tokens, principal.session_id, now)
        expires = datetime.fromtimestamp(principal.expires_at, UTC)
        _add_revocation(session, principal.token_id, "jti", expires)
        uow.commit()


def _issue_pair(session, tokens: TokenService, user_id: uuid.UUID, roles: tuple, sid: uuid.UUID) -> TokenPair:
    access = tokens.issue(ACCESS, user_id, sid, roles=list(roles))
    refresh_token = tokens.issue(REFRESH, user_id, sid)
    issued = datetime.now(UTC)
    session.add(
        RefreshToken(
            jti=refresh_token.jti,
            family_id=sid,
            user_id=user_id,
            issued_at=issued,
            expires_at=datetime.fromtimestamp(refresh_token.expires_at, UTC),
        )
    )
    return TokenPair(access.token, refresh_token.token, tokens.access_ttl, tokens.refresh_ttl)


def _revoke_session(session, tokens: TokenService, family_id: uuid.UUID, now: datetime) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    # Access tokens of the session live at most access_ttl from now: remember the sid that long.
    _add_revocation(session, family_id, "sid", now + timedelta(seconds=tokens.access_ttl))


def _add_revocation(session, token_id: uuid.UUID, kind: str, expires_at: datetime) -> None:
    statement = insert(TokenRevocation).values(token_id=token_id, kind=kind, expires_at=expires_at)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[TokenRevocation.token_id],
            set_={"expires_at": statement.excluded.expires_at},
        )
    )


def _verify(tokens: TokenService, token: str, kind: str) -> dict:
    try:
        return tokens.verify(token, kind)
    except InvalidToken as error:
        raise Unauthenticated(f"Invalid {kind} token: {error}.") from None
