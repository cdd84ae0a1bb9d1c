"""Account rules and JWTs: pure logic, no I/O."""

import base64
import hashlib
import hmac
import json
import uuid

import pytest
from joserfc.jwk import RSAKey

from gateway.accounts import keys as api_keys
from gateway.accounts.passwords import hash_password, verify_password
from gateway.accounts.rules import password_problem, username_problem
from gateway.accounts.tokens import ACCESS, REFRESH, InvalidToken, TokenService, generate_private_key_pem

PEM = generate_private_key_pem()


def service(**overrides) -> TokenService:
    options = {"issuer": "gw", "audience": "api", "access_ttl": 900, "refresh_ttl": 3600} | overrides
    return TokenService(overrides.pop("pem", PEM), **{k: v for k, v in options.items() if k != "pem"})


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "password, problem",
    [
        ("short", "10 to 128"),
        ("x" * 129, "10 to 128"),
        ("aaaaaaaaaaaa", "one character"),
        ("password123", "commonly used"),
        ("QWERTYUIOP", "commonly used"),
        ("mina-is-great-99", "username"),
        ("kimsecret-2024", "username or e-mail"),
    ],
)
def test_password_rules(password, problem):
    assert problem in password_problem(password, username="mina", email="kim@example.com")


def test_a_good_password_passes():
    assert password_problem("correct horse battery", "mina", "kim@example.com") is None


@pytest.mark.parametrize("name", ["ab", "_mina", "mina kim", "x" * 31, "미나", "mina!"])
def test_bad_usernames(name):
    assert username_problem(name)


def test_passwords_are_argon2id_and_verify_in_constant_shape():
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "wrong horse battery")
    assert not verify_password(None, "anything at all")  # unknown user: same work, same answer
    assert not verify_password("not a hash", "anything at all")


def test_tokens_round_trip_with_their_claims():
    tokens = service()
    sid, user = uuid.uuid4(), uuid.uuid4()
    issued = tokens.issue(ACCESS, user, sid, roles=["user"])
    claims = tokens.verify(issued.token, ACCESS)
    assert (claims["sub"], claims["sid"], claims["jti"]) == (str(user), str(sid), str(issued.jti))
    assert claims["exp"] - claims["iat"] == 900 and claims["roles"] == ["user"]


def test_a_refresh_token_is_not_an_access_token_and_the_reverse():
    tokens = service()
    access = tokens.issue(ACCESS, uuid.uuid4(), uuid.uuid4()).token
    refresh = tokens.issue(REFRESH, uuid.uuid4(), uuid.uuid4()).token
    with pytest.raises(InvalidToken):
        tokens.verify(refresh, ACCESS)
    with pytest.raises(InvalidToken):
        tokens.verify(access, REFRESH)


def test_expired_tampered_foreign_and_malformed_tokens_fail():
    tokens = service()
    token = tokens.issue(ACCESS, uuid.uuid4(), uuid.uuid4()).token
    header, payload, signature = token.split(".")
    forged_claims = json.loads(base64.urlsafe_b64decode(payload + "==")) | {"roles": ["admin"]}
    cases = {
        "expired": service(access_ttl=-60, leeway=0).issue(ACCESS, uuid.uuid4(), uuid.uuid4()).token,
        "tampered": f"{header}.{b64(forged_claims)}.{signature}",
        "foreign key": service(pem=generate_private_key_pem()).issue(ACCESS, uuid.uuid4(), uuid.uuid4()).token,
        "other issuer": service(issuer="someone-else").issue(ACCESS, uuid.uuid4(), uuid.uuid4()).token,
        "other audience": service(audience="other-api").issue(ACCESS, uuid.uuid4(), uuid.uuid4()).token,
        "garbage": "not.a.jwt",
        "empty": "",
    }
    for name, bad in cases.items():
        with pytest.raises(InvalidToken):
            tokens.verify(bad, ACCESS)
            pytest.fail(f"{name} token was accepted")


def test_alg_none_and_hs256_signed_with_the_public_key_are_refused():
    tokens = service()
    claims = tokens.verify(tokens.issue(ACCESS, uuid.uuid4(), uuid.uuid4()).token, ACCESS)
    unsigned = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."
    public_pem = RSAKey.import_key(PEM).as_pem(private=False)
    signing_input = f"{b64({'alg': 'HS256', 'typ': 'JWT'})}.{b64(claims)}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    confused = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    for forged in (unsigned, confused):
        with pytest.raises(InvalidToken, match="algorithm"):
            tokens.verify(forged, ACCESS)


def test_a_rotated_out_key_still_verifies_while_listed():
    old_pem = generate_private_key_pem()
    old_token = service(pem=old_pem).issue(ACCESS, uuid.uuid4(), uuid.uuid4()).token
    old_public = RSAKey.import_key(old_pem).as_pem(private=False).decode()
    assert service(verify_public_keys=[old_public]).verify(old_token, ACCESS)
    with pytest.raises(InvalidToken):
        service().verify(old_token, ACCESS)


def test_jwks_publishes_public_keys_only():
    keys = service().jwks()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and "d" not in keys[0] and keys[0]["kid"]


def test_api_keys_are_random_and_only_their_hash_is_kept():
    key, prefix, stored = api_keys.new_api_key()
    assert key.startswith(f"ak_{prefix}_") and api_keys.parse_prefix(key) == prefix
    assert api_keys.matches(key, stored) and not api_keys.matches(key + "x", stored)
    assert key.encode() not in stored
    assert api_keys.parse_prefix("ak_short_x") is None and api_keys.parse_prefix("eyJ...") is None


@pytest.fixture
def decodes(monkeypatch) -> list[str]:
    """Every token whose signature the service verifies (joserfc's decode), in order."""
    from gateway.accounts import tokens as module

    seen, decode = [], module.jwt.decode
    monkeypatch.setattr(module.jwt, "decode", lambda token, *a, **kw: seen.append(token) or decode(token, *a, **kw))
    return seen


@pytest.mark.usefixtures("fast_paths_on")
def test_a_signature_is_verified_once_but_the_claims_on_every_call(decodes, monkeypatch):
    from joserfc._rfc7519 import claims as joserfc_claims

    tokens = service(leeway=0)
    access = tokens.issue(ACCESS, uuid.uuid4(), uuid.uuid4()).token
    first = tokens.verify(access, ACCESS)
    first["roles"] = ["admin"]  # what a caller does with its copy is not kept
    assert tokens.verify(access, ACCESS).get("roles") is None
    assert decodes == [access]  # the second call did not verify the signature again
    with pytest.raises(InvalidToken):  # the kind is checked on every call
        tokens.verify(access, REFRESH)
    header, payload, signature = access.split(".")
    with pytest.raises(InvalidToken):  # other bytes are another token, verified from scratch
        tokens.verify(f"{header}.{payload}.{signature[:-2]}AA", ACCESS)
    later = type("Clock", (), {"time": staticmethod(lambda: first["exp"] + 1)})
    monkeypatch.setattr(joserfc_claims, "time", later)
    with pytest.raises(InvalidToken, match="expired"):  # expiry too
        tokens.verify(access, ACCESS)


@pytest.mark.usefixtures("fast_paths_on")
def test_a_token_that_failed_is_not_kept(decodes):
    tokens = service()
    refresh = tokens.issue(REFRESH, uuid.uuid4(), uuid.uuid4()).token
    for _ in range(2):
        with pytest.raises(InvalidToken):
            tokens.verify(refresh, ACCESS)
    assert decodes == [refresh, refresh]


def test_with_fast_paths_off_every_call_verifies_the_signature(decodes):
    from gateway.fastpaths import switch

    was = switch.enabled()
    switch.set_enabled(False)
    try:
        tokens = service()
        access = tokens.issue(ACCESS, uuid.uuid4(), uuid.uuid4()).token
        tokens.verify(access, ACCESS)
        tokens.verify(access, ACCESS)
    finally:
        switch.set_enabled(was)
    assert decodes == [access, access]
