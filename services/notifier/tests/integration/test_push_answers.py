"""What the push server's answers give away, over raw sockets to a running notifier: nothing of it or the request."""

import json
import socket
import uuid
from urllib.parse import urlsplit

import pytest
from notifier_stack import declare_fresh, running, settings_for

TOKEN = "eyJhbGciOiJSUzI1NiJ9.secret-part-of-a-token"


@pytest.fixture(scope="module")
def notifier(amqp_url, redis_prefix, signing_key):
    declare_fresh(amqp_url)
    settings = settings_for(
        amqp_url,
        redis_prefix,
        "http://127.0.0.1:9",
        "whsec_" + "A" * 44,
        notifier_roles=["realtime"],
        jwt_public_keys=[signing_key.public_pem],
    )
    with running(settings) as service:
        yield service


def exchange(url: str, raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send `raw` as is; (status, headers with lower-case names, body) of the answer."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(raw)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def request(method: str, path: str, *headers: str) -> bytes:
    return "\r\n".join([f"{method} {path} HTTP/1.1", "Host: push", "Connection: close", *headers, "", ""]).encode()


ANSWERS = {
    "health": request("GET", "/healthz"),
    "unknown path": request("GET", f"/{uuid.uuid4()}"),
    "wrong method": request("POST", "/healthz", "Content-Length: 0"),
    "no token": request("GET", "/api/events/stream"),
    "preflight": request("OPTIONS", "/api/events/stream", "Origin: https://app.example"),
    "oversized header": request("GET", "/api/events/stream", f"Authorization: Bearer {TOKEN}{'A' * 9000}"),
    "bad header line": request("GET", "/healthz", f"Bearer {TOKEN}"),
    "bad request line": f"GET /healthz {TOKEN}\r\n\r\n".encode(),
}


@pytest.mark.parametrize("raw", ANSWERS.values(), ids=ANSWERS.keys())
def test_no_answer_names_the_server_software(notifier, raw):
    status, headers, _ = exchange(notifier.url, raw)
    assert status < 500 and "server" not in headers


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (ANSWERS["oversized header"], 431),
        (ANSWERS["bad header line"], 400),
        (ANSWERS["bad request line"], 400),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + TOKEN.encode() + b"\r\n\r\n", 400),  # TLS on the HTTP port
    ],
)
def test_a_request_the_parser_refuses_is_a_problem_that_quotes_nothing_of_it(notifier, raw, status):
    answered, headers, body = exchange(notifier.url, raw)
    assert answered == status and headers["content-type"].startswith("application/problem+json")
    problem = json.loads(body)
    assert problem["status"] == status and problem["type"].startswith("/problems/") and problem["detail"]
    assert b"secret-part" not in body and b"eyJ" not in body and b"AAAA" not in body


def test_a_wrong_method_is_a_405_problem_with_allow(notifier):
    status, headers, body = exchange(notifier.url, ANSWERS["wrong method"])
    assert status == 405 and headers["content-type"].startswith("application/problem+json")
    assert "GET" in {method.strip() for method in headers["allow"].split(",")}
    assert json.loads(body)["type"] == "/problems/method-not-allowed"
