"""Signatures already checked: a token's RS256 signature verified once per worker process, not on every request.

A signed-in client sends the same access token with every request for its lifetime (15 minutes by default).
Parsing it and verifying its RS256 signature costs about 0.05-0.08 ms of CPU a request, a tenth of a fast read.
`SignedTokens` keeps the claims of tokens whose signature verified and whose claims held, keyed by the whole
token text: header, claims and signature, so any other bytes are another key, verified from scratch.

What stays on every request, in `TokenService.verify`: the claims' checks (expiry, issuer, audience, the kind
of token), so a kept token is refused the second it expires or where its kind is wrong; and, in
`authenticate`, the revocation and account lookup in PostgreSQL, so a signed-out session or a closed account
is refused at once. Nothing that failed is kept. Each service (and so each key set) has its own; at most
`MAX_KEPT` tokens, all forgotten when it is full. Off with FAST_PATHS=0: every call verifies the signature.
"""

from gateway.fastpaths import switch

MAX_KEPT = 4096


class SignedTokens:
    """The claims of tokens whose signature this process has verified, by token text."""

    def __init__(self, limit: int = MAX_KEPT):
        self._claims: dict[str, dict] = {}
        self._limit = limit

    def claims(self, token: str) -> dict | None:
        """The claims of `token` if its signature was verified before (and fast paths are on), else None."""
        return self._claims.get(token) if switch.enabled() else None

    def keep(self, token: str, claims: dict) -> None:
        """Remember a token whose signature verified and whose claims held."""
        if not switch.enabled():
            return
        if len(self._claims) >= self._limit:
            self._claims.clear()
        self._claims[token] = claims
