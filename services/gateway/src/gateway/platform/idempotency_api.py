"""`Idempotency-Key` on POST views, and `Prefer: wait=N` parsing (RFC 7240)."""

import functools
import hashlib
import re

from flask import Response, g, json, request

from gateway.platform import idempotency
from gateway.platform.blueprint import Blueprint
from gateway.platform.errors import InvalidInput

KEY = re.compile(r'^"?([\x21\x23-\x7e]{1,255})"?$')  # an sf-string (quoted) per the draft; bare is accepted too
REPLAYED_HEADERS = ("Location", "Preference-Applied")
IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "maxLength": 257},
    "description": "Makes the POST safe to retry: a repeat with the same key and body returns the first answer "
    "(header `Idempotent-Replayed: true`); the same key with another body is 422; while the first runs, 409.",
}
PREFER_PARAMETER = {
    "in": "header",
    "name": "Prefer",
    "required": False,
    "schema": {"type": "string", "example": "wait=5"},
    "description": "`wait=N` (N <= 10 s): wait for the payment's outcome; 201 when paid, 402 when declined.",
}


def idempotent(blp: Blueprint):
    """Honour Idempotency-Key for the caller: place it under `authenticated` (or the classroom's `learner_auth`),
    which puts the caller in flask.g, so the platform needs no import of the accounts or classroom lines."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            raw = request.headers.get("Idempotency-Key")
            if raw is None:
                return view(*args, **kwargs)
            match = KEY.match(raw.strip())
            if not match:
                raise InvalidInput("Idempotency-Key must be 1-255 visible ASCII characters.", "Idempotency-Key")
            key, caller_id, d = match.group(1), _caller_id(), blp.deps
            fingerprint = hashlib.sha256(
                b"%s %s\n%s" % (request.method.encode(), request.path.encode(), request.get_data())
            ).digest()
            stored = idempotency.begin(d.db.uow(), caller_id, key, fingerprint, d.settings.idempotency_key_ttl_hours)
            if stored is not None:
                headers = {**stored.headers, "Idempotent-Replayed": "true"}
                return Response(
                    json.dumps(stored.body), stored.status, headers, mimetype=stored.headers.get("Content-Type")
                )
            try:
                response = view(*args, **kwargs)
            except BaseException:
                idempotency.release(d.db.uow(), caller_id, key)
                raise
            if response.status_code >= 500:
                idempotency.release(d.db.uow(), caller_id, key)
                return response
            headers = {
                name: response.headers[name] for name in (*REPLAYED_HEADERS, "Content-Type") if name in response.headers
            }
            answer = idempotency.StoredAnswer(response.status_code, response.get_json(silent=True), headers)
            idempotency.finish(d.db.uow(), caller_id, key, answer)
            return response

        return wrapper

    return decorator


def _caller_id():
    """The signed-in caller's id (`g.principal`, put there by the accounts guard), or the participant's of a
    classroom participant token (`g.participant_id`, put there by `learner_auth`)."""
    caller = g.get("principal")
    if caller is not None:
        return caller.user_id
    participant_id = g.get("participant_id")
    if participant_id is None:
        raise RuntimeError("idempotent(blp) needs an auth decorator outside it: an idempotency key is per caller")
    return participant_id


def preferred_wait(longest: int) -> int:
    """Seconds the client asked to wait (`Prefer: wait=N`), capped at `longest`; 0 without the preference."""
    for preference in request.headers.getlist("Prefer"):
        for part in preference.split(","):
            name, _, value = part.strip().partition("=")
            value = value.strip()
            if name.strip().lower() == "wait" and value.isascii() and value.isdigit():  # not '²', not '٣'
                return min(int(value), longest) if len(value) <= 6 else longest  # never int() of 5,000 digits
    return 0
