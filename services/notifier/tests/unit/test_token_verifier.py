"""Access tokens: configured keys, the gateway's JWKS fetched on an unknown key id, and what is refused."""

import asyncio

import pytest
from notifier_tokens import AUDIENCE, ISSUER, TokenMinter

from notifier.realtime.auth import InvalidToken, TokenVerifier

MINTER, OTHER = TokenMinter(), TokenMinter()


class FakeJwks:
    """The gateway's /api/auth/jwks, counting requests; `down` makes it fail."""

    def __init__(self, *minters: TokenMinter):
        self.keys = [m.jwks["keys"][0] for m in minters]
        self.requests = 0
        self.down = False

    async def __call__(self, url: str) -> dict:
        self.requests += 1
        if self.down:
            raise OSError("connection refused")
        return {"keys": list(self.keys)}


def verify(verifier: TokenVerifier, token: str):
    return asyncio.run(verifier.verify(token))


def test_a_configured_public_key_verifies_access_tokens():
    verifier = TokenVerifier(ISSUER, AUDIENCE, [MINTER.public_pem.replace("\n", "\\n")])
    principal = verify(verifier, MINTER.token("user-1", ttl=60, sid="session-1"))
    assert principal.user_id == "user-1" and principal.expires_at > 0 and principal.session_id == "session-1"


@pytest.mark.parametrize(
    ("mint", "says"),
    [  # minted when the test runs, not when it is collected: a long suite must not expire them first
        (lambda: "", "required"),
        (lambda: "abc", "malformed"),
        (lambda: MINTER.token("u", ttl=-60), "expired"),
        (lambda: MINTER.token("u", kind="refresh"), "token_use"),
        (lambda: MINTER.token("u", iss="elsewhere"), "iss"),
        (lambda: OTHER.token("u"), "does not know"),
        (lambda: MINTER.token("u", sid=None), "sid"),  # no session: a sign-out could not be checked
    ],
    ids=["empty", "malformed", "expired", "refresh", "issuer", "foreign key", "no session"],
)
def test_what_is_refused(mint, says):
    verifier = TokenVerifier(ISSUER, AUDIENCE, [MINTER.public_pem])
    with pytest.raises(InvalidToken, match=says):
        verify(verifier, mint())


def test_an_unknown_key_id_refetches_the_jwks_at_most_every_so_often():
    jwks = FakeJwks(MINTER)
    verifier = TokenVerifier(ISSUER, AUDIENCE, jwks_url="http://gw/api/auth/jwks", fetch_jwks=jwks, min_refresh=60)

    async def scenario():
        await verifier.refresh()
        await verifier.verify(MINTER.token("u"))
        jwks.keys.append(OTHER.jwks["keys"][0])  # the gateway rotates
        with pytest.raises(InvalidToken):
            await verifier.verify(OTHER.token("u"))  # fetched less than a minute ago: not asked again

    asyncio.run(scenario())
    assert jwks.requests == 1

    eager = TokenVerifier(ISSUER, AUDIENCE, jwks_url="http://gw", fetch_jwks=jwks, min_refresh=0)
    assert verify(eager, OTHER.token("u")).user_id == "u"


def test_a_gateway_that_is_not_up_yet_is_asked_again_soon(monkeypatch):
    monkeypatch.setattr("notifier.realtime.auth.RETRY_FAILED_FETCH", 0)  # instead of 2 s, for the test
    jwks = FakeJwks(MINTER)
    jwks.down = True
    verifier = TokenVerifier(ISSUER, AUDIENCE, jwks_url="http://gw", fetch_jwks=jwks, min_refresh=60)
    with pytest.raises(InvalidToken, match="no token keys"):
        verify(verifier, MINTER.token("u"))
    jwks.down = False
    assert verify(verifier, MINTER.token("u")).user_id == "u"
