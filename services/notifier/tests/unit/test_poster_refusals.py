"""The SSRF policy at delivery time: what the poster refuses before opening any connection."""

import socket

import pytest

from notifier.delivery.http import WebhookPoster


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
    target, host, server_name = poster._vetted("https://hooks.example.com:8443/in?x=1")
    assert target == "https://93.184.216.34:8443/in?x=1"
    assert host == "hooks.example.com:8443" and server_name == "hooks.example.com"
    target, _, _ = WebhookPoster(resolve=resolver("2606:2800:220:1::1"))._vetted("http://hooks.example.com/")
    assert target == "http://[2606:2800:220:1::1]:80/"


def test_private_addresses_are_allowed_for_tests_and_local_development():
    poster = WebhookPoster(allow_private=True, resolve=resolver("127.0.0.1"))
    target, _, _ = poster._vetted("http://localhost:9000/hook")
    assert target == "http://127.0.0.1:9000/hook"
