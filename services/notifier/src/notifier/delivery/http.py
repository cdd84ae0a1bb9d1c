"""One HTTP attempt at a customer endpoint: vetted address, pinned connection, short timeouts.

The host is resolved here, every address checked against the SSRF policy
(shared.webhooks.ssrf), and the request sent to the vetted address itself
(with the original Host header and TLS server name), so a DNS answer that
changes between the check and the connect cannot point us into our network.
Connections are not kept alive: two customers behind one address never share
a TLS session, and a slow endpoint holds nothing after its attempt.
"""

import ipaddress
import socket
import time
from urllib.parse import urlsplit, urlunsplit

import httpx

from notifier.delivery.policy import AttemptResult
from shared.webhooks.ssrf import UnsafeUrl, check_url, is_public_address

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
            target, host_header, server_name = self._vetted(url)
        except UnsafeUrl as exc:
            return AttemptResult(None, 0, f"refused: {exc}", refused=True)
        except OSError as exc:
            return AttemptResult(None, _ms(started), f"DNS lookup failed: {exc}")
        headers = {"content-type": "application/json", "user-agent": USER_AGENT, "host": host_header, **headers}
        extensions = {"sni_hostname": server_name} if server_name else {}
        try:
            with self._client.stream("POST", target, content=body, headers=headers, extensions=extensions) as response:
                error = None if response.is_success else _describe(response, started + self._total)
                return AttemptResult(response.status_code, _ms(started), error, response.headers.get("retry-after"))
        except httpx.ConnectTimeout:
            return AttemptResult(None, _ms(started), "connect timed out")
        except httpx.TimeoutException:
            return AttemptResult(None, _ms(started), f"no answer within {self._total:g} s")
        except httpx.HTTPError as exc:
            return AttemptResult(None, _ms(started), f"{type(exc).__name__}: {exc}"[:500])

    def _vetted(self, url: str) -> tuple[str, str, str | None]:
        """(URL to the vetted address, Host header, TLS server name); UnsafeUrl when it may not be called."""
        check_url(url, allow_private=self._allow_private, resolve=False)
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = self._address(parts.hostname, port)
        literal = f"[{address}]" if ":" in address else address
        target = urlunsplit((parts.scheme, f"{literal}:{port}", parts.path or "/", parts.query, ""))
        host_header = parts.netloc.rpartition("@")[2]
        server_name = parts.hostname if parts.scheme == "https" and not _is_ip(parts.hostname) else None
        return target, host_header, server_name

    def _address(self, host: str, port: int) -> str:
        """The first address of `host`, when every one of them is allowed."""
        if _is_ip(host):
            addresses = [str(ipaddress.ip_address(host))]
        else:
            infos = self._resolve(host, port, type=socket.SOCK_STREAM)
            addresses = list(dict.fromkeys(info[4][0] for info in infos))
        if not addresses:
            raise OSError(f"{host} has no address")
        if not self._allow_private:
            for address in addresses:
                if not is_public_address(address):
                    raise UnsafeUrl(f"{host} resolves to {address}, which is not a public address")
        return addresses[0]


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _describe(response: httpx.Response, deadline: float) -> str:
    """`HTTP 503: <start of the body>`, reading no more than a little, and not past the deadline."""
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
