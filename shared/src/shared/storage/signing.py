"""Short-lived signed URLs for the local store's private files, in the shape of S3's presigned GETs.

A client sees `<media_url>/<key>?X-Amz-Date=...&X-Amz-Expires=...&X-Amz-Signature=...` from either
store: the date it was signed (UTC, `YYYYMMDDTHHMMSSZ`), how many seconds it stays valid, and a hex
HMAC-SHA256 of the key, the date and the lifetime under the server's secret.
"""

import hmac
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

DATE_FORMAT = "%Y%m%dT%H%M%SZ"
MAX_EXPIRES = 7 * 24 * 3600  # S3's own limit for a presigned URL
CLOCK_SKEW = timedelta(minutes=5)  # a URL signed by a replica whose clock runs a little ahead
_DATE = re.compile(r"^\d{8}T\d{6}Z$")
_EXPIRES = re.compile(r"^[1-9]\d{0,6}$")
_SIGNATURE = re.compile(r"^[0-9a-f]{64}$")


class UrlSigner:
    """Signs a key for a while, and tells whether a request's query still carries a good signature."""

    def __init__(self, secret: str):
        if not secret:
            raise ValueError("a URL signer needs a secret")
        self._key = secret.encode()

    def query(self, key: str, expires: int, now: datetime | None = None) -> str:
        """The query string that makes `key` fetchable for `expires` seconds from `now`."""
        if not 1 <= expires <= MAX_EXPIRES:
            raise ValueError(f"expires must be 1..{MAX_EXPIRES} seconds")
        date = (now or datetime.now(UTC)).strftime(DATE_FORMAT)
        return f"X-Amz-Date={date}&X-Amz-Expires={expires}&X-Amz-Signature={self._sign(key, date, str(expires))}"

    def seconds_left(self, key: str, args: Mapping[str, str], now: datetime | None = None) -> int | None:
        """How long the signed query in `args` keeps `key` fetchable; None if unsigned, tampered or expired."""
        date, expires, signature = (args.get(name, "") for name in ("X-Amz-Date", "X-Amz-Expires", "X-Amz-Signature"))
        if not (_DATE.match(date) and _EXPIRES.match(expires) and _SIGNATURE.match(signature)):
            return None
        if not hmac.compare_digest(signature, self._sign(key, date, expires)):
            return None
        try:
            signed_at = datetime.strptime(date, DATE_FORMAT).replace(tzinfo=UTC)
        except ValueError:
            return None
        now = now or datetime.now(UTC)
        left = int((signed_at + timedelta(seconds=int(expires)) - now).total_seconds())
        if signed_at > now + CLOCK_SKEW or int(expires) > MAX_EXPIRES or left <= 0:
            return None
        return left

    def _sign(self, key: str, date: str, expires: str) -> str:
        return hmac.digest(self._key, f"GET\n{key}\n{date}\n{expires}".encode(), "sha256").hex()
