"""API key strings: `ak_<prefix>_<secret>`; only a SHA-256 of the whole key is stored.

The secret has 256 bits of entropy, so a fast hash is enough (no KDF): nobody
can brute-force it, and checking a key costs microseconds.
"""

import hashlib
import hmac
import secrets

SCHEME = "ak_"


def new_api_key() -> tuple[str, str, bytes]:
    """(the key to show once, its lookup prefix, the hash to store)."""
    prefix = secrets.token_hex(6)
    key = f"{SCHEME}{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, digest(key)


def digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def parse_prefix(key: str) -> str | None:
    """The lookup prefix of something shaped like one of our keys, else None."""
    if not key.startswith(SCHEME):
        return None
    prefix, _, secret = key[len(SCHEME) :].partition("_")
    return prefix if len(prefix) == 12 and secret else None


def matches(key: str, stored: bytes) -> bool:
    return hmac.compare_digest(digest(key), stored)
