"""The gateway's access tokens (RS256 JWTs), verified with its public keys.

Keys come from JWT_PUBLIC_KEYS and/or the gateway's JWKS (GATEWAY_URL +
/api/auth/jwks), fetched at start and again when a token names a key id we do
not know yet (at most every `min_refresh` seconds), so a key rotation at the
gateway needs no restart here. Only access tokens pass: a refresh token is
refused like a forged one, and so is a token without the `sid` (session) that
revocations are checked by (notifier/realtime/revocations.py). The classroom's
socket also takes participant tokens (shared/messages/classroom.py: signed with
the same keys, `token_use` participant, `scope` classroom:participant, `sub` the
participant, `sid` the live session), and only where it asks for them.
"""

import asyncio
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable

from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from shared.messages.classroom import PARTICIPANT_SCOPE

log = logging.getLogger(__name__)
ALGORITHM = "RS256"
ACCESS, PARTICIPANT = "access", "participant"
RETRY_FAILED_FETCH = 2.0  # seconds: a gateway that is still starting is asked again soon
ERRORS = {
    "expired_token": "the token has expired",
    "bad_signature": "the token's signature does not verify",
    "unsupported_algorithm": "the token's algorithm is not accepted (only RS256)",
    "decode_error": "the token is malformed",
    "invalid_key_id": "the token was signed by a key this server does not know",
}

FetchJwks = Callable[[str], Awaitable[dict]]


class InvalidToken(Exception):
    """Missing, malformed, forged, expired or not an access token; the message says which."""


@dataclasses.dataclass(frozen=True)
class Principal:
    user_id: str  # a participant token's participant
    expires_at: int  # epoch seconds: the push connection ends then
    session_id: str  # the `sid` claim: signing out of the session closes the connection (a participant's live session)
    kind: str = ACCESS  # or PARTICIPANT


def import_public_key(pem: str) -> RSAKey:
    key = RSAKey.import_key(pem.replace("\\n", "\n").strip().encode())
    key.ensure_kid()
    return key


class TokenVerifier:
    """Verifies access tokens against configured keys and the gateway's JWKS."""

    def __init__(
        self,
        issuer: str,
        audience: str,
        public_keys: list[str] = (),
        jwks_url: str | None = None,
        fetch_jwks: FetchJwks | None = None,
        min_refresh: float = 30.0,
        leeway: int = 10,
    ):
        self._static = [import_public_key(pem) for pem in public_keys]
        self._fetched: list[RSAKey] = []
        self._keys = KeySet(list(self._static))
        self._jwks_url = jwks_url if fetch_jwks else None
        self._fetch = fetch_jwks
        self._min_refresh = min_refresh
        self._next_fetch = float("-inf")
        self._lock = asyncio.Lock()
        self._registries = {
            kind: jwt.JWTClaimsRegistry(
                leeway=leeway,
                iss={"essential": True, "value": issuer},
                aud={"essential": True, "value": audience},
                exp={"essential": True},
                sub={"essential": True},
                sid={"essential": True},
                token_use={"essential": True, "value": kind},
                **({"scope": {"essential": True, "value": PARTICIPANT_SCOPE}} if kind == PARTICIPANT else {}),
            )
            for kind in (ACCESS, PARTICIPANT)
        }

    @property
    def key_ids(self) -> set[str]:
        return {key.kid for key in self._static + self._fetched}

    async def refresh(self) -> bool:
        """Fetch the JWKS unless it was fetched within `min_refresh` seconds; True if the keys changed."""
        if self._jwks_url is None:
            return False
        async with self._lock:
            if time.monotonic() < self._next_fetch:
                return False
            try:
                document = await self._fetch(self._jwks_url)
                keys = [RSAKey.import_key(jwk) for jwk in document.get("keys", []) if jwk.get("kty") == "RSA"]
            except Exception as exc:  # noqa: BLE001 - an unreachable gateway only means fewer keys
                log.warning("could not fetch the token keys from %s: %s", self._jwks_url, exc)
                self._next_fetch = time.monotonic() + min(RETRY_FAILED_FETCH, self._min_refresh)
                return False
            self._next_fetch = time.monotonic() + self._min_refresh
            for key in keys:
                key.ensure_kid()
            changed = {k.kid for k in keys} != {k.kid for k in self._fetched}
            self._fetched = keys
            self._keys = KeySet(self._static + self._fetched)
            return changed

    async def verify(self, token: str, kinds: tuple[str, ...] = (ACCESS,)) -> Principal:
        """The token's user if it is a valid token of the gateway of one of `kinds`; InvalidToken otherwise."""
        if not token:
            raise InvalidToken("an access token is required (Authorization: Bearer, or ?access_token=)")
        try:
            kid = jws.extract_compact(token.encode()).protected.get("kid")
        except (JoseError, ValueError, TypeError):
            raise InvalidToken("the token is malformed") from None
        if kid not in self.key_ids:
            await self.refresh()
        if not self._static and not self._fetched:
            raise InvalidToken("no token keys are available yet (the gateway's JWKS could not be fetched)")
        try:
            decoded = jwt.decode(token, self._keys, algorithms=[ALGORITHM])
            kind = decoded.claims.get("token_use")
            self._registries[kind if kind in kinds else kinds[0]].validate(decoded.claims)
        except JoseError as exc:
            name = getattr(exc, "error", "") or type(exc).__name__
            raise InvalidToken(ERRORS.get(name, f"the token is not valid here ({name}: {exc.description})")) from None
        except (ValueError, TypeError, KeyError):
            raise InvalidToken("the token is malformed") from None
        claims = decoded.claims
        return Principal(str(claims["sub"]), int(claims["exp"]), str(claims["sid"]), claims["token_use"])
