"""Access and refresh tokens shaped like the gateway's (RS256, iss/aud/token_use), minted with joserfc."""

import time
import uuid

from joserfc import jwt
from joserfc.jwk import RSAKey

ISSUER, AUDIENCE = "platform-gateway", "platform-api"


class TokenMinter:
    """One RSA signing key; mints tokens for any user."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, private=True)
        self.key.ensure_kid()

    @property
    def public_pem(self) -> str:
        return self.key.as_pem(private=False).decode()

    @property
    def jwks(self) -> dict:
        return {"keys": [self.key.as_dict(private=False)]}

    def token(self, user_id: str, kind: str = "access", ttl: int = 900, **overrides) -> str:
        """A signed token; an override of None leaves that claim out."""
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": user_id,
            "iat": now,
            "exp": now + ttl,
            "jti": str(uuid.uuid4()),
            "sid": str(uuid.uuid4()),
            "token_use": kind,
            **overrides,
        }
        claims = {name: value for name, value in claims.items() if value is not None}
        header = {"alg": "RS256", "kid": self.key.kid, "typ": "at+jwt"}
        return jwt.encode(header, claims, self.key, algorithms=["RS256"])
