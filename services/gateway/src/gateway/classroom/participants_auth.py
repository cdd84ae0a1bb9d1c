"""Who a learner is in a live session: a signed-in user who joined it, or the holder of its participant token.

A participant token (join by code, no account) is a JWT signed with the access tokens' keys, so the notifier checks
it with the same JWKS: `token_use` "participant", `scope` "classroom:participant", `sub` the participant's id,
`sid` the session's id. The accounts guard refuses it (it is no access token), so it opens only the learner
endpoints that call `session_participant` for its own session: everything else answers it 401.

`session_participant` is the one function the classroom's learner endpoints (progress, help requests, activity
logs, screenshots, the current step) use; `learner_auth` documents them and checks the credentials first.
"""

import base64
import functools
import json
import uuid
from dataclasses import dataclass

from flask import g, request

from gateway.accounts.authentication import authenticate
from gateway.accounts.guard import BEARER_AUTH
from gateway.accounts.sessions import Principal
from gateway.accounts.tokens import PARTICIPANT, InvalidToken, IssuedToken, TokenService
from gateway.classroom.participants_store import LearnerRow, ParticipantStore
from gateway.platform.blueprint import Blueprint
from gateway.platform.errors import InvalidInput, NotFound, Unauthenticated
from shared.messages.classroom import PARTICIPANT_SCOPE

PARTICIPANT_AUTH = "participantToken"
PARTICIPANT_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "bearerFormat": "JWT participant token",
    "description": "The participant token POST /api/sessions/join gives a learner without an account: good for "
    "that session's learner endpoints only.",
}


@dataclass(frozen=True)
class ParticipantClaims:
    participant_id: uuid.UUID
    session_id: uuid.UUID
    expires_at: int


@dataclass(frozen=True)
class SessionLearner:
    """A participant of a session, as the learner endpoints see the caller."""

    id: uuid.UUID
    session_id: uuid.UUID
    lecture_id: uuid.UUID
    code: str
    session_status: str
    user_id: uuid.UUID | None
    device_id: str | None
    display_name: str
    via: str  # "user" or "participant_token"


def issue_participant_token(tokens: TokenService, participant_id: uuid.UUID, session_id: uuid.UUID, ttl: int):
    """A token for this participant of this session only, good for `ttl` seconds (a day at most)."""
    issued: IssuedToken = tokens.issue(PARTICIPANT, participant_id, session_id, ttl=ttl, scope=PARTICIPANT_SCOPE)
    return issued


def verify_participant_token(tokens: TokenService, token: str) -> ParticipantClaims:
    """The claims of one of our participant tokens; Unauthenticated if it is forged, expired or another kind."""
    try:
        claims = tokens.verify(token, PARTICIPANT)
        if claims.get("scope") != PARTICIPANT_SCOPE:
            raise InvalidToken(f"its scope is not {PARTICIPANT_SCOPE}")
        return ParticipantClaims(uuid.UUID(claims["sub"]), uuid.UUID(claims["sid"]), claims["exp"])
    except InvalidToken as error:
        raise Unauthenticated(f"Invalid participant token: {error}.") from None
    except ValueError:
        raise Unauthenticated("Invalid participant token: malformed sub or sid.") from None


def learner_caller(deps) -> Principal | ParticipantClaims:
    """The caller of a learner endpoint (checked once per request); 401 without credentials or with bad ones."""
    if "learner_caller" not in g:
        header = request.headers.get("Authorization")
        _, _, credential = (header or "").partition(" ")
        if _token_use(credential.strip()) == PARTICIPANT:
            caller = verify_participant_token(deps.tokens, credential.strip())
        else:
            caller = authenticate(deps.db.uow(), deps.tokens, header)
        if caller is None:
            raise Unauthenticated(
                "Sign in, or join the session by its code: send 'Authorization: Bearer <token>'.", False
            )
        g.learner_caller = caller
        if isinstance(caller, Principal):
            g.principal = caller  # what `idempotent` and the accounts guard read
        else:
            g.participant_id = caller.participant_id  # what `idempotent` reads
    return g.learner_caller


def session_participant(deps, session_id: uuid.UUID | str | None = None) -> SessionLearner:
    """The caller as a participant of the session: a signed-in user who joined it, or its participant token's holder.

    `session_id` None means the session the participant token names (a signed-in user must name one). A token for
    another session is 401; a user who did not join the session (or an unknown session) is 404.
    """
    caller = learner_caller(deps)
    wanted = _session_id(session_id)
    uow = deps.db.uow()
    if isinstance(caller, ParticipantClaims):
        if wanted is not None and wanted != caller.session_id:
            raise Unauthenticated("This participant token is for another session.")
        with uow:
            row = uow.store(ParticipantStore).learner(caller.session_id, participant_id=caller.participant_id)
        if row is None:
            raise Unauthenticated("This participant token's participant no longer exists.")
        return _learner(row, "participant_token")
    if wanted is None:
        raise InvalidInput("Say which session: a signed-in learner names it.", "session_id")
    with uow:
        row = uow.store(ParticipantStore).learner(wanted, user_id=caller.user_id)
    if row is None:
        raise NotFound(f"no session with id {wanted} among the sessions you joined")
    return _learner(row, "user")


def signed_in_user(deps) -> Principal | None:
    """The signed-in caller of a learner endpoint, or None for a participant token."""
    caller = learner_caller(deps)
    return caller if isinstance(caller, Principal) else None


def learner_auth(blp: Blueprint):
    """Decorate a learner endpoint (outermost, so 401 comes before body validation): a user or participant token."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            learner_caller(blp.deps)
            return view(*args, **kwargs)

        wrapper = blp.doc(security=[{BEARER_AUTH: []}, {PARTICIPANT_AUTH: []}])(wrapper)
        return blp.alt_response(401, description="Missing, invalid or expired credentials, or another session's")(
            wrapper
        )

    return decorator


def _session_id(raw: uuid.UUID | str | None) -> uuid.UUID | None:
    if raw is None or isinstance(raw, uuid.UUID):
        return raw
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise NotFound(f"'{str(raw)[:64]}' is not a session id (session ids are UUIDs)") from None


def _token_use(token: str) -> str | None:
    """The `token_use` a JWT claims, unverified: which check it gets (every path verifies it in full)."""
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))).get("token_use")
    except (IndexError, ValueError, AttributeError, UnicodeDecodeError):
        return None


def _learner(row: LearnerRow, via: str) -> SessionLearner:
    return SessionLearner(
        id=row.id,
        session_id=row.session_id,
        lecture_id=row.lecture_id,
        code=row.code,
        session_status=row.status,
        user_id=row.user_id,
        device_id=row.device_id,
        display_name=row.display_name,
        via=via,
    )
