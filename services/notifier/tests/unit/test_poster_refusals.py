"""The SSRF policy at delivery time: what the poster refuses before opening any connection."""

import socket
import time

import httpx
import pytest

from notifier.delivery.http import WebhookPoster, _describe


def resolver(*addresses):
    def resolve(host, port, type=0):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, type, 6, "", (a, port)) for a in addresses]

    return resolve


@pytest.mark.parametrize(
    ("url", "addresses"),
    [
        ("https://hooks.example.com/in", ["10.0.0.7"]),
        ("https://hooks.example.com/in", ["93.184.216.34", "192.168.1.10"]),  # one private answer is enough
        ("https://hooks.example.com/in", ["169.254.169.254"]),
        ("https://hooks.example.com/in", ["::1"]),
        ("https://hooks.example.com/in", ["::ffff:127.0.0.1"]),
        ("https://hooks.example.com/in", ["fd00::1"]),
        ("https://hooks.example.com/in", ["224.0.0.1"]),
        ("https://hooks.example.com/in", ["0.0.0.0"]),
        ("https://hooks.example.com/in", ["240.0.0.1"]),
        ("http://127.0.0.1:8000/api", []),
        ("http://[::ffff:10.0.0.1]/", []),
        ("http://localhost/", []),
        ("http://[2002:7f00:1::]/", []),  # 6to4 of 127.0.0.1
        ("http://[64:ff9b::a9fe:a9fe]/", []),  # NAT64 of 169.254.169.254
        ("http://2130706433/", []),
        ("http://0x7f.1/", []),
        ("http://0.0.0.0:8001/", []),
        ("https://hooks.example.com/in", ["2002:a9fe:a9fe::1"]),
        ("ftp://hooks.example.com/in", []),
        ("file:///etc/passwd", []),
        ("https://user:pass@hooks.example.com/in", ["93.184.216.34"]),
    ],
)
def test_non_public_targets_are_refused_without_connecting(url, addresses):
    poster = WebhookPoster(resolve=resolver(*addresses))
    result = poster.post(url, b"{}", {})
    assert result.refused and result.status_code is None and result.error.startswith("refused:")
    poster.close()


def test_the_request_is_pinned_to_the_vetted_address_with_the_original_host():
    poster = WebhookPoster(resolve=resolver("93.184.216.34"))
    target, host, server_name, public = poster._vetted("https://hooks.example.com:8443/in?x=1")
    assert target == "https://93.184.216.34:8443/in?x=1" and public
    assert host == "hooks.example.com:8443" and server_name == "hooks.example.com"
    target, _, _, _ = WebhookPoster(resolve=resolver("2606:2800:220:1::1"))._vetted("http://hooks.example.com/")
    assert target == "http://[2606:2800:220:1::1]:80/"


def test_private_addresses_are_allowed_for_tests_and_local_development():
    poster = WebhookPoster(allow_private=True, resolve=resolver("127.0.0.1"))
    target, _, _, public = poster._vetted("http://localhost:9000/hook")
    assert target == "http://127.0.0.1:9000/hook" and not public
    target, host, _, _ = poster._vetted("http://0x7f.1:9000/hook")  # connected to as read, never looked up
    assert target == "http://127.0.0.1:9000/hook" and host == "0x7f.1:9000"


def answer(status: int, body: bytes, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=body, headers=headers, request=httpx.Request("POST", "https://x/"))


def test_a_public_endpoints_error_answer_is_quoted_and_a_private_ones_is_not():
    secret = b'{"AccessKeyId": "ASIA...", "SecretAccessKey": "..."}'
    assert _describe(answer(500, secret), time.monotonic() + 5, public=True) == f"HTTP 500: {secret.decode()}"
    hidden = _describe(answer(500, secret), time.monotonic() + 5, public=False)
    assert hidden.startswith("HTTP 500") and "AccessKeyId" not in hidden
    moved = _describe(answer(302, b"", location="http://10.0.0.1/admin"), time.monotonic() + 5, public=False)
    assert moved.startswith("HTTP 302") and "10.0.0.1" not in moved
