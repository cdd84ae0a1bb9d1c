"""Participant tokens: taken only where the classroom socket asks for them, with their scope, never elsewhere."""

import asyncio

import pytest
from notifier_tokens import AUDIENCE, ISSUER, TokenMinter

from notifier.realtime.auth import ACCESS, PARTICIPANT, InvalidToken, TokenVerifier
from shared.messages.classroom import PARTICIPANT_SCOPE

MINTER = TokenMinter()
BOTH = (ACCESS, PARTICIPANT)


def verify(token: str, kinds=(ACCESS,)):
    return asyncio.run(TokenVerifier(ISSUER, AUDIENCE, [MINTER.public_pem]).verify(token, kinds))


def participant_token(**overrides) -> str:
    claims = {"sid": "session-9", "scope": PARTICIPANT_SCOPE} | overrides
    return MINTER.token("participant-1", kind="participant", **claims)


def test_a_participant_token_where_it_is_asked_for():
    principal = verify(participant_token(), BOTH)
    assert (principal.user_id, principal.session_id, principal.kind) == ("participant-1", "session-9", PARTICIPANT)
    assert verify(MINTER.token("user-1", sid="s"), BOTH).kind == ACCESS


def test_a_participant_token_is_no_access_token():
    with pytest.raises(InvalidToken, match="token_use"):
        verify(participant_token())


@pytest.mark.parametrize(
    "token",
    [
        lambda: participant_token(scope="classroom:instructor"),
        lambda: participant_token(scope=None),
        lambda: participant_token(sid=None),
        lambda: participant_token(ttl=-60),
        lambda: MINTER.token("u", kind="refresh"),
        lambda: TokenMinter().token("u", kind="participant", sid="s", scope=PARTICIPANT_SCOPE),
    ],
    ids=["other scope", "no scope", "no session", "expired", "refresh", "foreign key"],
)
def test_what_the_socket_refuses(token):
    with pytest.raises(InvalidToken):
        verify(token(), BOTH)
