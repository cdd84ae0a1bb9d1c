"""Which URLs a server may call on a customer's behalf: public http(s) only (no SSRF into our network).

An address is public when it is global unicast; an IPv6 address that carries an
IPv4 one (IPv4-mapped, 6to4, NAT64) is judged by that IPv4 address, and the
forms that only tunnel or are deprecated (IPv4-compatible ::a.b.c.d, Teredo,
local-use NAT64, site-local) are never public. A host written as a number
(2130706433, 0x7f.1, 0177.1, 127.1) is read the way resolvers and browsers read
it. A name is resolved and every answer checked, and the caller connects to the
checked address itself (`vet`): a second lookup could answer differently (DNS
rebinding). Redirects must not be followed: the next hop was never checked.
"""

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
LOOPBACK = (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))
LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
_NEVER_PUBLIC = [
    ipaddress.ip_network(net)
    for net in (
        "::/96",  # IPv4-compatible (deprecated), and :: and ::1
        "2001::/32",  # Teredo: a tunnel to whatever address the client behind it has
        "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215): translates into our own network
        "192.0.0.0/24",  # IETF protocol assignments (ipaddress leaves some of it global)
        "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
    )
]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NUMBER = re.compile(r"(0x[0-9a-f]*|[0-9]+)", re.IGNORECASE)


class UnsafeUrl(ValueError):
    """The URL must not be called; the message says why."""


@dataclass(frozen=True)
class Target:
    """Where a vetted URL goes: the address to connect to (never look the host up again) and the URL's parts."""

    parts: SplitResult
    port: int
    address: IPAddress

    @property
    def public(self) -> bool:
        return is_public_address(self.address)


def is_public_address(address: "str | IPAddress") -> bool:
    """True only for a global unicast address (IPv6 carrying IPv4: judged by the IPv4 address)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0]) if isinstance(address, str) else address
    if any(ip in net for net in _NEVER_PUBLIC):
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return _is_global_unicast(embedded)
        if ip.is_site_local:
            return False
    return _is_global_unicast(ip)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _is_global_unicast(ip: IPAddress) -> bool:
    flags = (ip.is_private, ip.is_loopback, ip.is_link_local, ip.is_multicast, ip.is_reserved, ip.is_unspecified)
    return ip.is_global and not any(flags)


def literal_address(host: str) -> IPAddress | None:
    """The address a host names by itself (IP literal or number, as resolvers read it); None for a name."""
    host = host.strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    parts = host.split(".")
    if not _NUMBER.fullmatch(parts[-1]):
        return None  # a name: only a host whose last label is a number is read as IPv4 (as browsers do)
    numbers = [_number(part, host) for part in parts]
    if len(numbers) > 4 or any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise UnsafeUrl(f"{host} is not a valid IPv4 address")
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _number(part: str, host: str) -> int:
    """One part of a numeric IPv4 host: decimal, 0x hexadecimal or 0-prefixed octal (inet_aton's rules)."""
    try:
        if part[:2].lower() == "0x":
            return int(part[2:] or "0", 16)
        if len(part) > 1 and part.startswith("0"):
            return int(part, 8)
        return int(part, 10)
    except ValueError:
        raise UnsafeUrl(f"{host} is not a valid IPv4 address") from None


def addresses(host: str, port: int, resolve=socket.getaddrinfo) -> list[IPAddress]:
    """Every address `host` stands for: itself if literal, loopback for local names, else what DNS answers.

    Raises OSError when a name does not resolve.
    """
    literal = literal_address(host)
    if literal is not None:
        return [literal]
    name = host.rstrip(".").lower()
    if name in LOCAL_NAMES or name.endswith(".localhost"):
        return list(LOOPBACK)
    try:
        infos = resolve(host, port, type=socket.SOCK_STREAM)
    except UnicodeError:  # a label IDNA cannot encode: no resolver could ever answer it
        raise UnsafeUrl(f"{host} is not a valid host name") from None
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos))


def url_parts(url: str) -> tuple[SplitResult, int]:
    """The URL split, and its port; UnsafeUrl unless it is http(s) with a host and no credentials."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeUrl(f"not a valid URL ({error})") from None
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrl("only http and https URLs are allowed")
    if not parts.hostname:
        raise UnsafeUrl("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeUrl("credentials in the URL are not allowed")
    return parts, port


def vet(url: str, allow_private: bool = False, resolve=socket.getaddrinfo) -> Target:
    """The one address to connect to for `url`, when every address of its host may be called.

    UnsafeUrl when one may not; OSError when the host does not resolve.
    """
    parts, port = url_parts(url)
    found = addresses(parts.hostname, port, resolve)
    if not found:
        raise OSError(f"{parts.hostname} has no address")
    if not allow_private:
        for address in found:
            if not is_public_address(address):
                raise UnsafeUrl(f"{parts.hostname} is not a public address ({address})")
    return Target(parts, port, found[0])


def check_url(url: str, allow_private: bool = False, resolve=socket.getaddrinfo) -> None:
    """Raise UnsafeUrl unless `url` is http(s) with a host whose every address is public (or private is allowed)."""
    if allow_private:
        url_parts(url)
        return
    try:
        vet(url, allow_private, resolve)
    except OSError as error:
        host = urlsplit(url).hostname
        raise UnsafeUrl(f"{host} does not resolve ({error})") from None
