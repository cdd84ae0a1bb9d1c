"""The operator's credential, `Authorization: Bearer <OPERATOR_TOKEN>`, for what only an operator may read."""

import functools
import hmac

from flask import request

from gateway.platform.blueprint import Blueprint
from gateway.platform.errors import Unauthenticated

OPERATOR_AUTH = "operatorToken"
OPERATOR_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "The OPERATOR_TOKEN setting (`make run` writes one to .env); a user's token is not accepted.",
}


def operator_only(blp: Blueprint):
    """Decorate a view (outermost) that only the holder of OPERATOR_TOKEN may call: 401 for anyone else."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            check_operator(blp.deps.settings.operator_token, request.headers.get("Authorization"))
            return view(*args, **kwargs)

        wrapper = blp.doc(security=[{OPERATOR_AUTH: []}])(wrapper)
        return blp.alt_response(401, description="Missing or wrong operator token")(wrapper)

    return decorator


def check_operator(expected: str, authorization: str | None) -> None:
    """Unauthenticated unless `authorization` is `Bearer <expected>`: compared in constant time, never when unset."""
    scheme, _, presented = (authorization or "").partition(" ")
    presented = presented.strip()
    if scheme.lower() != "bearer" or not presented:
        raise Unauthenticated("This needs the operator token: send 'Authorization: Bearer <OPERATOR_TOKEN>'.", False)
    if not expected or not hmac.compare_digest(presented.encode(), expected.encode()):
        raise Unauthenticated("That is not the operator token.")
