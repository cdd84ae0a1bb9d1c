"""Participant tokens without a database: their claims are the contract the notifier checks, and they are no
access token anywhere."""

import time
import uuid

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from gateway.accounts.authentication import authenticate
from gateway.accounts.tokens import TokenService, generate_private_key_pem
from gateway.classroom.participants_auth import issue_participant_token, verify_participant_token
from gateway.platform.errors import Unauthenticated
from shared.messages.classroom import PARTICIPANT_SCOPE


@pytest.fixture(scope="module")
def tokens():
    return TokenService(generate_private_key_pem(), "platform-gateway", "platform-api", 900, 3600)


def test_a_participant_token_names_its_participant_and_session_for_a_day_at_most(tokens):
    participant, session = uuid.uuid4(), uuid.uuid4()
    issued = issue_participant_token(tokens, participant, session, 86400)
    claims = jwt.decode(issued.token, KeySet.import_key_set(tokens.jwks())).claims  # as the notifier checks it
    assert claims["token_use"] == "participant" and claims["scope"] == PARTICIPANT_SCOPE
    assert (claims["sub"], claims["sid"]) == (str(participant), str(session))
    assert claims["aud"] == "platform-api" and claims["iss"] == "platform-gateway"
    assert 0 < claims["exp"] - time.time() <= 86400
    verified = verify_participant_token(tokens, issued.token)
    assert (verified.participant_id, verified.session_id) == (participant, session)


def test_a_participant_token_is_no_access_token(tokens):
    issued = issue_participant_token(tokens, uuid.uuid4(), uuid.uuid4(), 600)
    with pytest.raises(Unauthenticated, match="not valid here"):
        authenticate(None, tokens, f"Bearer {issued.token}")  # refused before any lookup


def test_another_kind_or_key_is_no_participant_token(tokens):
    stranger = TokenService(generate_private_key_pem(), "platform-gateway", "platform-api", 900, 3600)
    for token in (
        tokens.issue("access", uuid.uuid4(), uuid.uuid4(), scope=PARTICIPANT_SCOPE).token,
        issue_participant_token(stranger, uuid.uuid4(), uuid.uuid4(), 600).token,
        tokens.issue("participant", uuid.uuid4(), uuid.uuid4(), ttl=600).token,  # no scope
        tokens.issue("participant", uuid.uuid4(), uuid.uuid4(), exp=int(time.time()) - 60).token,
    ):
        with pytest.raises(Unauthenticated):
            verify_participant_token(tokens, token)
