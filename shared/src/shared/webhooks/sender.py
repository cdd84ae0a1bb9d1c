"""Posts signed webhooks over one keep-alive connection pool, retrying with the same webhook id."""

import logging
import threading
import uuid

import httpx

from shared.webhooks.signing import WebhookSigner

log = logging.getLogger(__name__)
RETRYABLE_STATUS = {401, 408, 425, 429, 500, 502, 503, 504}


class WebhookRejected(Exception):
    """The receiver refused the body for good (a 4xx other than auth or rate limiting)."""

    def __init__(self, status: int, body: str):
        super().__init__(f"webhook rejected with {status}: {body[:300]}")
        self.status = status


class WebhookSender:
    """Signs and posts bodies to `base_url`; waits out outages, never drops a delivery silently."""

    def __init__(self, base_url: str, secret: str, timeout: float = 10.0, max_backoff: float = 30.0):
        self._signer = WebhookSigner(secret)
        limits = httpx.Limits(max_keepalive_connections=8)
        self._client = httpx.Client(base_url=base_url, timeout=timeout, limits=limits)
        self._max_backoff = max_backoff
        self._stopping = threading.Event()

    def post(self, path: str, body: bytes) -> dict:
        """Deliver `body` once: the same webhook-id on every try, re-signed with a fresh timestamp."""
        return self.send("POST", path, body)

    def send(self, method: str, path: str, body: bytes) -> dict:
        """`post` with another method (e.g. PATCH); the answer's JSON object, or {} when it has none."""
        webhook_id = f"msg_{uuid.uuid4().hex}"
        backoff = 0.2
        while True:
            headers = {"content-type": "application/json", **self._signer.headers(body, webhook_id)}
            try:
                response = self._client.request(method, path, content=body, headers=headers)
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.is_success:
                    return _json_object(response)
                if response.status_code not in RETRYABLE_STATUS:
                    raise WebhookRejected(response.status_code, response.text)
                problem = f"HTTP {response.status_code}: {response.text[:200]}"
            log.warning("webhook %s to %s failed (%s); retrying in %.1fs", webhook_id, path, problem, backoff)
            if self._stopping.wait(backoff):
                raise WebhookRejected(0, "sender stopped before the webhook was accepted")
            backoff = min(backoff * 2, self._max_backoff)

    def close(self) -> None:
        self._stopping.set()
        self._client.close()


def _json_object(response: httpx.Response) -> dict:
    """A 2xx answer's JSON object; {} for 204, an empty body or anything that is not an object."""
    try:
        answer = response.json() if response.content else {}
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}
