"""Who is calling: a bearer access token (JWT) or an API key, checked against revocations.

The hot path of every authenticated request: a signature check in memory and
one indexed lookup in PostgreSQL (the revocation list, or the API key).
"""

import uuid

from gateway.accounts import keys as api_keys
from gateway.accounts.sessions import Principal
from gateway.accounts.tokens import ACCESS, InvalidToken, TokenService
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Unauthenticated

# One round trip: is the token (or its session) revoked, and is its account still there and open?
ACCESS_TOKEN_SQL = (
    "SELECT EXISTS (SELECT 1 FROM token_revocations WHERE token_id IN (%(jti)s, %(sid)s)) AS revoked, "
    "EXISTS (SELECT 1 FROM users WHERE id = %(sub)s AND closed_at IS NULL) AS account"
)
API_KEY_SQL = (
    "SELECT k.id, k.user_id, k.secret_hash, u.roles, "
    "k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute' AS stale "
    "FROM api_keys k JOIN users u ON u.id = k.user_id "
    "WHERE k.prefix = %(prefix)s AND k.revoked_at IS NULL AND u.closed_at IS NULL"
)
TOUCH_API_KEY_SQL = "UPDATE api_keys SET last_used_at = now() WHERE id = %(id)s"


def authenticate(uow: UnitOfWork, tokens: TokenService, authorization: str | None) -> Principal | None:
    """The caller behind an `Authorization` header; None without one; Unauthenticated if it does not hold."""
    if not authorization:
        return None
    scheme, _, credential = authorization.partition(" ")
    credential = credential.strip()
    if scheme.lower() != "bearer" or not credential:
        raise Unauthenticated("Use 'Authorization: Bearer <access token or API key>'.")
    if credential.startswith(api_keys.SCHEME):
        return _api_key(uow, credential)
    return _access_token(uow, tokens, credential)


def _access_token(uow: UnitOfWork, tokens: TokenService, token: str) -> Principal:
    try:
        claims = tokens.verify(token, ACCESS)
        jti, sid, sub = uuid.UUID(claims["jti"]), uuid.UUID(claims["sid"]), uuid.UUID(claims["sub"])
    except InvalidToken as error:
        raise Unauthenticated(f"Invalid access token: {error}.") from None
    except ValueError:
        raise Unauthenticated("Invalid access token: malformed sub, jti or sid.") from None
    state = uow.fetch_one(ACCESS_TOKEN_SQL, {"jti": jti, "sid": sid, "sub": sub})
    if state.revoked:
        raise Unauthenticated("This access token has been revoked (signed out); sign in again.")
    if not state.account:
        raise Unauthenticated("The account behind this token no longer exists.")
    return Principal(
        user_id=sub,
        roles=tuple(claims.get("roles", ())),
        session_id=sid,
        token_id=jti,
        expires_at=claims["exp"],
    )


def _api_key(uow: UnitOfWork, key: str) -> Principal:
    prefix = api_keys.parse_prefix(key)
    row = uow.fetch_one(API_KEY_SQL, {"prefix": prefix}) if prefix else None
    if row is None or not api_keys.matches(key, row.secret_hash):
        raise Unauthenticated("Invalid API key (unknown or deleted).")
    if row.stale:  # last_used_at is kept to the minute, not written on every request
        uow.execute_atomically(TOUCH_API_KEY_SQL, {"id": row.id})
    return Principal(user_id=row.user_id, roles=tuple(row.roles), token_id=row.id, via="api_key")
