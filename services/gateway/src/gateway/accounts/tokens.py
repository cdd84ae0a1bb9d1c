"""JWT access and refresh tokens, signed RS256 with joserfc.

Only RS256 is accepted, so `alg: none` and HS256-signed-with-the-public-key
tokens fail verification. Each key's RFC 7638 thumbprint is its `kid`; extra
public keys may be configured for verification while a signing key rotates.
"""

import time
import uuid
from dataclasses import dataclass

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from gateway.fastpaths.verified_tokens import SignedTokens

ALGORITHM = "RS256"
ACCESS, REFRESH = "access", "refresh"
PARTICIPANT = "participant"  # a classroom participant token: one live session only (gateway/classroom)


class InvalidToken(Exception):
    """The token is malformed, forged, expired or of the wrong kind; the message says which."""


@dataclass(frozen=True)
class IssuedToken:
    token: str
    jti: uuid.UUID
    expires_at: int  # epoch seconds


def load_private_key(pem: str) -> RSAKey:
    """An RSA private key from PEM text (literal `\\n` sequences are accepted for one-line env values)."""
    try:
        key = RSAKey.import_key(pem.replace("\\n", "\n").strip().encode())
    except (ValueError, JoseError) as error:
        raise ValueError(f"JWT_PRIVATE_KEY is not an RSA private key in PEM form: {error}") from None
    if not key.is_private:
        raise ValueError("JWT_PRIVATE_KEY holds a public key; the gateway needs the private key to sign")
    return key


def generate_private_key_pem() -> str:
    return RSAKey.generate_key(2048, private=True).as_pem(private=True).decode()


class TokenService:
    """Issues and verifies this gateway's JWTs."""

    def __init__(
        self,
        private_key_pem: str,
        issuer: str,
        audience: str,
        access_ttl: int,
        refresh_ttl: int,
        verify_public_keys: list[str] = (),
        leeway: int = 10,
    ):
        self._signing = load_private_key(private_key_pem)
        self._kid = self._signing.thumbprint()
        verifying = [RSAKey.import_key(self._signing.as_pem(private=False))]
        verifying += [RSAKey.import_key(pem.replace("\\n", "\n").encode()) for pem in verify_public_keys]
        for key in verifying:
            key.ensure_kid()
        self._keys = KeySet(verifying)
        self.issuer, self.audience = issuer, audience
        self.access_ttl, self.refresh_ttl = access_ttl, refresh_ttl
        self._registry = {
            kind: jwt.JWTClaimsRegistry(
                leeway=leeway,
                iss={"essential": True, "value": issuer},
                aud={"essential": True, "value": audience},
                exp={"essential": True},
                iat={"essential": True},
                sub={"essential": True},
                jti={"essential": True},
                sid={"essential": True},
                token_use={"essential": True, "value": kind},
            )
            for kind in (ACCESS, REFRESH, PARTICIPANT)
        }
        self._signed = SignedTokens()  # a fast path: signatures verified once per process (its module says why)

    def jwks(self) -> dict:
        """The public keys, as a JWK Set (for other services that verify our tokens)."""
        return self._keys.as_dict(private=False)

    def issue(
        self, kind: str, user_id: uuid.UUID, session_id: uuid.UUID, ttl: int | None = None, **claims
    ) -> IssuedToken:
        now = int(time.time())
        jti = uuid.uuid4()
        expires_at = now + (ttl or (self.access_ttl if kind == ACCESS else self.refresh_ttl))
        payload = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": str(user_id),
            "iat": now,
            "exp": expires_at,
            "jti": str(jti),
            "sid": str(session_id),
            "token_use": kind,
            **claims,
        }
        header = {"alg": ALGORITHM, "kid": self._kid, "typ": "at+jwt" if kind == ACCESS else "JWT"}
        return IssuedToken(jwt.encode(header, payload, self._signing, algorithms=[ALGORITHM]), jti, expires_at)

    def verify(self, token: str, kind: str) -> dict:
        """The token's claims if it is ours, unexpired and of `kind`; InvalidToken otherwise."""
        try:
            claims = self._signed.claims(token)
            if claims is None:
                claims = jwt.decode(token, self._keys, algorithms=[ALGORITHM]).claims
            self._registry[kind].validate(claims)  # on every call: expiry, issuer, audience, kind
        except JoseError as error:
            raise InvalidToken(_describe(error)) from None
        except (ValueError, TypeError, KeyError):
            raise InvalidToken("the token is malformed") from None
        self._signed.keep(token, claims)
        return dict(claims)  # a copy: what a caller does with it cannot change the kept claims


def _describe(error: JoseError) -> str:
    name = getattr(error, "error", "") or type(error).__name__
    messages = {
        "expired_token": "the token has expired",
        "invalid_claim": f"the token is not valid here ({error.description})",
        "missing_claim": f"the token lacks a claim ({error.description})",
        "bad_signature": "the token's signature does not verify",
        "unsupported_algorithm": "the token's algorithm is not accepted (only RS256)",
        "decode_error": "the token is malformed",
        "invalid_key_id": "the token was signed by a key this server does not know",
    }
    return messages.get(name, f"the token is not valid ({name})")
