"""Session codes cannot be found by trying them: codes that name no session are counted per guesser (address,
or the signed-in caller), and a guesser who spent the budget is refused every code lookup with 429."""

import uuid

import pytest

from gateway.app import create_app
from gateway.classroom.sessions_rules import CODE_ALPHABET

BUDGET = 3


@pytest.fixture
def app(gateway_settings, redis_prefix):
    tight = {
        "rate_limit_session_code_misses": f"{BUDGET}/minute",
        "rate_limit_prefix": f"{redis_prefix}:rl-{uuid.uuid4().hex[:8]}",
    }
    return create_app(gateway_settings.model_copy(update=tight))


def wrong_code(session: dict, n: int) -> str:
    """A well-formed code that is not the session's (and, with 34 million codes, no other live one's)."""
    code = "".join(CODE_ALPHABET[(i * 7 + n) % len(CODE_ALPHABET)] for i in range(6))
    return code if code != session["code"] else code[::-1]


def join(client, code: str, ip: str):
    body = {"code": code, "device_id": uuid.uuid4().hex, "display_name": "김영희"}
    return client.post("/api/sessions/join", json=body, environ_base={"REMOTE_ADDR": ip})


def test_an_address_that_named_too_many_unknown_codes_is_refused_even_the_right_one(classroom, client):
    session = classroom.session(classroom.instructor())
    ip = "198.51.100.7"
    for n in range(BUDGET):
        missed = join(client, wrong_code(session, n), ip)
        assert missed.status_code == 404, missed.json
    refused = join(client, session["code"], ip)
    assert refused.status_code == 429 and refused.content_type == "application/problem+json"
    assert int(refused.headers["Retry-After"]) > 0
    qr = client.get(f"/api/sessions/{session['code']}/qr.png", environ_base={"REMOTE_ADDR": ip})
    assert qr.status_code == 429
    assert classroom.sql("SELECT count(*) FROM session_participants WHERE session_id = %s", session["id"]) == [(0,)]
    elsewhere = join(client, session["code"], "203.0.113.9")  # another address is not held back
    assert elsewhere.status_code == 201


def test_right_codes_and_malformed_ones_spend_nothing(classroom, client):
    session = classroom.session(classroom.instructor())
    ip = "198.51.100.8"
    for _ in range(BUDGET + 2):
        assert join(client, session["code"], ip).status_code in (200, 201)
        assert join(client, "not a code", ip).status_code == 422
    assert join(client, wrong_code(session, 0), ip).status_code == 404


def test_a_signed_in_caller_is_counted_as_itself_not_by_address(classroom, client, accounts):
    """The notifier asks GET /api/sessions/{code} with each user's token from one address: users are counted apart."""
    session = classroom.session(classroom.instructor())
    guesser, learner = accounts.new(), accounts.new()
    for n in range(BUDGET):
        assert client.get(f"/api/sessions/{wrong_code(session, n)}", headers=guesser.headers).status_code == 404
    assert client.get(f"/api/sessions/{session['code']}", headers=guesser.headers).status_code == 429
    found = client.get(f"/api/sessions/{session['code']}", headers=learner.headers)
    assert found.status_code == 200 and found.json["id"] == session["id"]
