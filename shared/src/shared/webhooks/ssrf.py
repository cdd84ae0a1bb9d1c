"""Which URLs a server may call on a customer's behalf: public http(s) only (no SSRF into our network)."""

import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeUrl(ValueError):
    """The URL must not be called; the message says why."""


def is_public_address(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved, unspecified (IPv4, IPv6, IPv4-mapped)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)


def check_url(url: str, allow_private: bool = False, resolve: bool = True) -> None:
    """Raise UnsafeUrl unless `url` is http(s) with a host whose every address is public (or private is allowed)."""
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
    if allow_private:
        return
    for address in _addresses(parts.hostname, port, resolve):
        if not is_public_address(address):
            raise UnsafeUrl(f"{parts.hostname} is not a public address ({address})")


def _addresses(host: str, port: int, resolve: bool) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return ["127.0.0.1"]
    if not resolve:
        return []
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)})
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeUrl(f"{host} does not resolve ({error})") from None
