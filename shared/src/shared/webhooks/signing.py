"""Standard Webhooks (https://www.standardwebhooks.com) signatures.

Written here rather than taken from the `standardwebhooks` package because the
platform needs several secrets at once (rotation), a configurable tolerance,
and a clean error for a malformed header; the package is used by the tests as
an interoperability oracle.
"""

import base64
import binascii
import hashlib
import hmac
import secrets
import time
import uuid
from collections.abc import Iterable, Mapping

SECRET_PREFIX = "whsec_"
DEFAULT_TOLERANCE_SECONDS = 300
MAX_TIMESTAMP_DIGITS = 12  # seconds until the year 33658: anything longer is outside any tolerance


class InvalidSignature(Exception):
    """The webhook's headers or signature do not verify; never accept the body."""


def generate_secret(nbytes: int = 32) -> str:
    """A fresh `whsec_<base64>` secret."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(nbytes)).decode()


def _decode_secret(secret: str) -> bytes:
    raw = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("webhook secret is not whsec_<base64>") from exc
    if len(key) < 16:
        raise ValueError("webhook secret must carry at least 16 bytes")
    return key


def _signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> bytes:
    to_sign = f"{msg_id}.{timestamp}.".encode() + body
    return hmac.new(key, to_sign, hashlib.sha256).digest()


class WebhookSigner:
    """Signs outgoing webhook bodies with one secret."""

    def __init__(self, secret: str):
        self._key = _decode_secret(secret)

    def headers(self, body: bytes, msg_id: str | None = None, timestamp: int | None = None) -> dict[str, str]:
        """The three Standard Webhooks headers for this body."""
        msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
        timestamp = int(time.time()) if timestamp is None else timestamp
        sig = base64.b64encode(_signature(self._key, msg_id, timestamp, body)).decode()
        return {
            "webhook-id": msg_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": f"v1,{sig}",
        }


class WebhookVerifier:
    """Verifies incoming webhooks against any of several secrets (for rotation)."""

    def __init__(self, secrets_: Iterable[str], tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS):
        self._keys = [_decode_secret(s) for s in secrets_]
        if not self._keys:
            raise ValueError("at least one webhook secret is required")
        self._tolerance = tolerance_seconds

    def verify(self, body: bytes, headers: Mapping[str, str], now: float | None = None) -> str:
        """Return the webhook id when the signature holds; raise InvalidSignature otherwise."""
        msg_id = headers.get("webhook-id", "")
        raw_ts = headers.get("webhook-timestamp", "")
        raw_sigs = headers.get("webhook-signature", "")
        if not (msg_id and raw_ts and raw_sigs):
            raise InvalidSignature("missing webhook-id, webhook-timestamp or webhook-signature header")
        if len(msg_id) > 256:
            raise InvalidSignature("webhook-id is too long")
        timestamp = _parse_timestamp(raw_ts)
        now = time.time() if now is None else now
        if abs(now - timestamp) > self._tolerance:
            raise InvalidSignature("webhook-timestamp is outside the accepted tolerance")
        offered = [_parse_v1(part) for part in raw_sigs.split()]
        offered = [sig for sig in offered if sig is not None]
        for key in self._keys:
            expected = _signature(key, msg_id, timestamp, body)
            if any(hmac.compare_digest(expected, sig) for sig in offered):
                return msg_id
        raise InvalidSignature("no matching signature")


def _parse_timestamp(raw: str) -> int:
    """Seconds since the epoch, as ASCII digits: int() alone took ' 1_7e', Arabic digits and numbers of 4,000
    digits, which overflowed the float comparison with the clock (a 500 for any caller)."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_TIMESTAMP_DIGITS:
        raise InvalidSignature("webhook-timestamp is not an integer number of seconds")
    return int(raw)


def _parse_v1(part: str) -> bytes | None:
    version, _, encoded = part.partition(",")
    if version != "v1" or not encoded:
        return None
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None
