"""One HTTP attempt at a customer endpoint: vetted address, pinned connection, short timeouts.

The host is resolved here, every address checked against the SSRF policy
(shared.webhooks.ssrf), and the request sent to the vetted address itself
(with the original Host header and TLS server name), so a DNS answer that
changes between the check and the connect cannot point us into our network.
Connections are not kept alive: two customers behind one address never share
a TLS session, and a slow endpoint holds nothing after its attempt.
"""

import socket
import time
from urllib.parse import urlunsplit

import httpx

from notifier.delivery.policy import AttemptResult
from shared.webhooks.ssrf import UnsafeUrl, literal_address, vet

ERROR_BODY_BYTES = 2048
USER_AGENT = "platform-notifier/0.1 (+standard-webhooks)"


class WebhookPoster:
    """POSTs signed bodies; thread-safe (one client, no keep-alive), never raises for the endpoint's faults."""

    def __init__(
        self,
        connect_timeout: float = 3.0,
        total_timeout: float = 10.0,
        allow_private: bool = False,
        resolve=socket.getaddrinfo,
    ):
        self._total = total_timeout
        self._allow_private = allow_private
        self._resolve = resolve
        self._client = httpx.Client(
            timeout=httpx.Timeout(total_timeout, connect=connect_timeout),
            limits=httpx.Limits(max_keepalive_connections=0),
            follow_redirects=False,
            trust_env=False,
        )

    def close(self) -> None:
        self._client.close()

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> AttemptResult:
        started = time.monotonic()
        try:
            target, host_header, server_name, public = self._vetted(url)
        except UnsafeUrl as exc:
            return AttemptResult(None, 0, f"refused: {exc}", refused=True)
        except OSError as exc:
            return AttemptResult(None, _ms(started), f"DNS lookup failed: {exc}")
        headers = {"content-type": "application/json", "user-agent": USER_AGENT, "host": host_header, **headers}
        extensions = {"sni_hostname": server_name} if server_name else {}
        try:
            with self._client.stream("POST", target, content=body, headers=headers, extensions=extensions) as response:
                error = None if response.is_success else _describe(response, started + self._total, public)
                return AttemptResult(response.status_code, _ms(started), error, response.headers.get("retry-after"))
        except httpx.ConnectTimeout:
            return AttemptResult(None, _ms(started), "connect timed out")
        except httpx.TimeoutException:
            return AttemptResult(None, _ms(started), f"no answer within {self._total:g} s")
        except httpx.HTTPError as exc:
            return AttemptResult(None, _ms(started), f"{type(exc).__name__}: {exc}"[:500])

    def _vetted(self, url: str) -> tuple[str, str, str | None, bool]:
        """(URL to the vetted address, Host header, TLS server name, whether the address is public).

        UnsafeUrl when the URL may not be called, OSError when its host does not resolve.
        """
        target = vet(url, self._allow_private, self._resolve)
        parts, address = target.parts, target.address
        literal = f"[{address}]" if address.version == 6 else str(address)
        pinned = urlunsplit((parts.scheme, f"{literal}:{target.port}", parts.path or "/", parts.query, ""))
        host_header = parts.netloc.rpartition("@")[2]
        named = literal_address(parts.hostname) is None
        server_name = parts.hostname if parts.scheme == "https" and named else None
        return pinned, host_header, server_name, target.public


def _describe(response: httpx.Response, deadline: float, public: bool) -> str:
    """`HTTP 503: <start of the body>`, reading no more than a little, and not past the deadline.

    Only a public address's answer is quoted: with private URLs allowed, a customer must not
    read our own network's pages (or a cloud metadata answer) through the delivery log.
    """
    if not public:
        return f"HTTP {response.status_code} (the answer of a non-public address is not shown)"
    chunks, size = [], 0
    try:
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size >= ERROR_BODY_BYTES or time.monotonic() > deadline:
                break
    except httpx.HTTPError:
        pass
    text = b"".join(chunks)[:ERROR_BODY_BYTES].decode("utf-8", "replace").strip()
    if 300 <= response.status_code < 400:
        return f"HTTP {response.status_code}: redirect to {response.headers.get('location', '?')} not followed"
    return f"HTTP {response.status_code}" + (f": {text[:300]}" if text else "")


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
