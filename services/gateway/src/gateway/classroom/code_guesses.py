"""Session codes are short (6 of 18 characters, 34 million in all): codes that name no session are counted per
guesser, and a guesser who spent the budget (RATE_LIMIT_SESSION_CODE_MISSES) gets 429 on every code lookup for
the window, so live sessions cannot be found by trying codes. Learners who mistype a few times never notice.

The guesser is the signed-in caller or the participant token's participant when there is one (the notifier
asks GET /api/sessions/{code} with each user's own token, from one address), else the client's address.
"""

import functools

from flask import request

from gateway.classroom.participants_auth import ParticipantClaims
from gateway.platform.blueprint import Blueprint
from gateway.platform.errors import NotFound

TOO_MANY = "Too many session codes that name no session: wait for Retry-After seconds"


def counted(blp: Blueprint, caller=None):
    """Decorate a view that looks a session up by its code (inside any auth decorator); `caller(deps)` names
    the signed-in caller or participant, if the view has one."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            throttle, guesser = blp.deps.throttle, _guesser(blp.deps, caller)
            throttle.code_guess(guesser)
            try:
                return view(*args, **kwargs)
            except NotFound:
                throttle.code_missed(guesser)
                raise

        return blp.alt_response(429, description=TOO_MANY)(wrapper)

    return decorator


def _guesser(deps, caller) -> str:
    who = caller(deps) if caller else None
    if isinstance(who, ParticipantClaims):
        return f"participant:{who.participant_id}"
    if who is not None:
        return f"user:{who.user_id}"
    return f"ip:{request.remote_addr or 'unknown'}"
