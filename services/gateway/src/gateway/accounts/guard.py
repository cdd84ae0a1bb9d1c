"""Authentication for views: who is calling, and the OpenAPI security that documents it."""

import functools

from flask import g, request
from flask_smorest import Blueprint

from gateway.accounts import service as accounts
from gateway.accounts.authentication import authenticate
from gateway.accounts.sessions import Principal
from gateway.app import deps
from gateway.platform.errors import Forbidden, Unauthenticated

BEARER_AUTH = "bearerAuth"
SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT access token, or an API key (ak_...)",
    "description": "An access token from /api/auth/login (15 minutes) or an API key from /api/api-keys.",
}


def current_principal() -> Principal | None:
    """The authenticated caller, or None when no credentials were sent (checked once per request)."""
    if "principal" not in g:
        d = deps()
        g.principal = authenticate(d.db.uow(), d.tokens, request.headers.get("Authorization"))
    return g.principal


def principal() -> Principal:
    """The authenticated caller; 401 without credentials."""
    caller = current_principal()
    if caller is None:
        raise Unauthenticated("Sign in first: send 'Authorization: Bearer <access token or API key>'.", False)
    return caller


def has_role(caller: Principal, role: str) -> bool:
    """Roles come with the token; a role granted since it was issued is found in the store."""
    return role in caller.roles or role in accounts.get_user(deps().db.uow(), caller.user_id).roles


def authenticated(blp: Blueprint, optional: bool = False, role: str | None = None):
    """Decorate a view (outermost, so 401 comes before body validation): credentials required or optional."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            caller = current_principal() if optional else principal()
            if role and not has_role(caller, role):
                raise Forbidden(f"This needs the '{role}' role.")
            return view(*args, **kwargs)

        security = [{BEARER_AUTH: []}, {}] if optional else [{BEARER_AUTH: []}]
        wrapper = blp.doc(security=security)(wrapper)
        return blp.alt_response(401, description="Missing, invalid, expired or revoked credentials")(wrapper)

    return decorator
