"""Authentication for views: who is calling, and the OpenAPI security that documents it."""

import functools

from flask import g, request

from gateway.accounts import service as accounts
from gateway.accounts.authentication import authenticate
from gateway.accounts.sessions import Principal
from gateway.platform.blueprint import Blueprint
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Forbidden, Unauthenticated

BEARER_AUTH = "bearerAuth"
SECURITY_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT access token, or an API key (ak_...)",
    "description": "An access token from /api/auth/login (15 minutes) or an API key from /api/api-keys.",
}


def current_principal() -> Principal | None:
    """The caller `authenticated` (on the view) found, or None when no credentials were sent."""
    if "principal" not in g:
        raise RuntimeError("current_principal() is for views decorated with authenticated(blp, ...)")
    return g.principal


def principal() -> Principal:
    """The authenticated caller; 401 without credentials."""
    caller = current_principal()
    if caller is None:
        raise Unauthenticated("Sign in first: send 'Authorization: Bearer <access token or API key>'.", False)
    return caller


def has_role(uow: UnitOfWork, caller: Principal, role: str) -> bool:
    """Roles come with the token; a role granted since it was issued is found in the store."""
    return role in caller.roles or role in accounts.get_user(uow, caller.user_id).roles


def authenticated(blp: Blueprint, optional: bool = False, role: str | None = None):
    """Decorate a view (outermost, so 401 comes before body validation): credentials required or optional."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if "principal" not in g:  # checked once per request
                d = blp.deps
                g.principal = authenticate(d.db.uow(), d.tokens, request.headers.get("Authorization"))
            caller = current_principal() if optional else principal()
            if role and not has_role(blp.deps.db.uow(), caller, role):
                raise Forbidden(f"This needs the '{role}' role.")
            return view(*args, **kwargs)

        security = [{BEARER_AUTH: []}, {}] if optional else [{BEARER_AUTH: []}]
        wrapper = blp.doc(security=security)(wrapper)
        return blp.alt_response(401, description="Missing, invalid, expired or revoked credentials")(wrapper)

    return decorator
