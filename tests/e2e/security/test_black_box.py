"""Attacks on the running stack, as an ordinary account or nobody would try them.

Each attack must get a 4xx problem+json (never a 5xx, never HTML, never a
stack trace) and change nothing: every table of both databases and every
stored object is compared before and after.
"""

import dataclasses
import json
import socket
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
import pytest
from security_kit import Target, changed, quiet_snapshot

from shared.testing import png_header_only, wait_until

JSON = {"content-type": "application/json"}
INTERNAL_WEBHOOKS = [
    ("POST", "/api/webhooks/jobs"),
    ("POST", "/api/webhooks/payments"),
    ("POST", "/api/webhooks/notifier"),
    ("PATCH", "/api/webhooks/training/progress"),
    ("POST", "/api/webhooks/training/complete"),
    ("POST", "/api/webhooks/training/failed"),
    ("PATCH", "/api/webhooks/inference/progress"),
    ("POST", "/api/webhooks/inference/complete"),
    ("POST", "/api/webhooks/inference/failed"),
]


@dataclasses.dataclass(frozen=True)
class Attack:
    """One request: `build(target)` gives httpx's arguments (method, url, and the rest)."""

    name: str
    build: Callable[[Target], dict]
    statuses: tuple[int, ...] = ()  # the exact answers allowed; any 4xx when empty


def raw_json(text: str) -> Callable[[Target], dict]:
    """A JSON body written by hand, so that it can carry what a JSON encoder would never write."""
    return lambda t: {"content": text.encode("utf-8", "surrogatepass"), "headers": JSON}


def signed_in(method: str, url: str, **kwargs) -> Callable[[Target], dict]:
    """The attacker's request, with their own valid token; `url` may name the victim's ids ({t.victim...})."""
    return lambda t: {"method": method, "url": url.format(t=t), "headers": t.as_attacker(), **kwargs}


def _png(width: int, height: int, mode: str) -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new(mode, (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def deep(levels: int) -> str:
    return '{"text": ' + "[" * levels + "]" * levels + "}"


ATTACKS = [
    # NUL bytes and lone surrogates, in query values and in JSON strings and keys
    *[
        Attack(f"nul in query {path}", lambda t, p=path: {"method": "GET", "url": p})
        for path in ("/api/search?q=a%00b", "/api/tests?q=a%00b", "/api/styles?tag=a%00b", "/api/courses?q=%00")
    ],
    Attack("nul in query signed in", signed_in("GET", "/api/jobs?status=completed%00")),
    Attack("nul in job text", lambda t: {"method": "POST", "url": "/api/jobs", **raw_json('{"text": "a\\u0000b"}')(t)}),
    Attack(
        "surrogate in job text", lambda t: {"method": "POST", "url": "/api/jobs", **raw_json('{"text": "\\ud800"}')(t)}
    ),
    Attack(
        "nul in a JSON key", lambda t: {"method": "POST", "url": "/api/jobs", **raw_json('{"te\\u0000xt": "a"}')(t)}
    ),
    Attack(
        "nul in login e-mail",
        lambda t: {
            "method": "POST",
            "url": "/api/auth/login",
            **raw_json('{"email": "a\\u0000@x.io", "password": "p"}')(t),
        },
    ),
    Attack(
        "surrogate in signup",
        lambda t: {
            "method": "POST",
            "url": "/api/auth/signup",
            **raw_json('{"email": "s@x.io", "username": "\\udfff", "password": "correct horse battery"}')(t),
        },
    ),
    Attack(
        "raw invalid UTF-8 in JSON",
        lambda t: {"method": "POST", "url": "/api/jobs", "content": b'{"text": "\xff\xfe"}', "headers": JSON},
    ),
    Attack("JSON 10,000 levels deep", lambda t: {"method": "POST", "url": "/api/jobs", **raw_json(deep(10_000))(t)}),
    Attack(
        "an integer of 5,000 digits in JSON",
        lambda t: {"method": "POST", "url": "/api/jobs", **raw_json('{"text": ' + "9" * 5000 + "}")(t)},
    ),
    Attack(
        "an integer of 5,000 digits in a query", lambda t: {"method": "GET", "url": "/api/tests?page=" + "9" * 5000}
    ),
    # control characters and bidirectional overrides in names, descriptions and URLs
    Attack(
        "bidi override in a username",
        lambda t: {
            "method": "POST",
            "url": "/api/auth/signup",
            "json": {"email": "bidi@example.com", "username": "mina\u202egpj", "password": "correct horse battery"},
        },
    ),
    Attack(
        "control character in an API key's name",
        signed_in("POST", "/api/api-keys", json={"name": "ci\u0007key"}),
    ),
    Attack(
        "control character in a webhook URL",
        signed_in(
            "POST",
            "/api/webhook-endpoints",
            json={"url": "https://hooks.example.com/\u0000x", "event_types": ["job.completed"]},
        ),
    ),
    # tokens: none, forged, of another kind
    Attack(
        "a forged token",
        lambda t: {"method": "GET", "url": "/api/auth/me", "headers": {"Authorization": "Bearer e30.e30.x"}},
    ),
    Attack(
        "an unsigned token (alg none)",
        lambda t: {
            "method": "GET",
            "url": "/api/jobs",
            "headers": {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."},
        },
    ),
    Attack(
        "a refresh token used as an access token",
        lambda t: {
            "method": "GET",
            "url": "/api/auth/me",
            "headers": {"Authorization": f"Bearer {t.victim.refresh_token}"},
        },
    ),
    # another user's things
    Attack("another user's job", signed_in("GET", "/api/jobs/{t.victim.job_id}"), (404,)),
    Attack(
        "another user's style, changed", signed_in("PATCH", "/api/styles/{t.victim.style[id]}", json={"name": "mine"})
    ),
    Attack("another user's style, deleted", signed_in("DELETE", "/api/styles/{t.victim.style[id]}")),
    Attack(
        "another user's webhook endpoint", signed_in("GET", "/api/webhook-endpoints/{t.victim.endpoint_id}"), (404,)
    ),
    Attack(
        "another user's deliveries",
        signed_in("GET", "/api/webhook-endpoints/{t.victim.endpoint_id}/deliveries"),
        (404,),
    ),
    Attack(
        "another user's endpoint, deleted", signed_in("DELETE", "/api/webhook-endpoints/{t.victim.endpoint_id}"), (404,)
    ),
    # server-side request forgery through customer webhooks
    *[
        Attack(
            f"webhook to {url}",
            signed_in("POST", "/api/webhook-endpoints", json={"url": url, "event_types": ["job.completed"]}),
            (422,),
        )
        for url in (
            "http://169.254.169.254/latest/meta-data/",
            "http://127.0.0.1:8000/api/health",
            "http://localhost/",
            "http://[::1]/",
            "http://[2002:7f00:1::]/",
            "http://[::ffff:127.0.0.1]/",
            "http://2130706433/",
            "http://10.0.0.1/",
            "http://0.0.0.0/",
        )
    ],
    # internal webhooks: unsigned, and a timestamp no clock can hold
    *[
        Attack(
            f"{method} {path} with a 400-digit timestamp",
            lambda t, m=method, p=path: {
                "method": m,
                "url": p,
                "content": b'{"events": []}',
                "headers": {
                    **JSON,
                    "webhook-id": "msg_attack",
                    "webhook-timestamp": "9" * 400,
                    "webhook-signature": "v1,AAAA",
                },
            },
            (400, 401),
        )
        for method, path in INTERNAL_WEBHOOKS
    ],
    *[
        Attack(f"{method} {path} unsigned", lambda t, m=method, p=path: {"method": m, "url": p, "json": {}}, (401,))
        for method, path in INTERNAL_WEBHOOKS
    ],
    # bodies and uploads
    Attack(
        "a body over the limit",
        lambda t: {
            "method": "POST",
            "url": "/api/jobs",
            "content": b'{"text": "' + b"a" * 2_000_000 + b'"}',
            "headers": JSON,
        },
        (413,),
    ),
    Attack(
        "a decompression bomb's header to signatures/verify",
        lambda t: {
            "method": "POST",
            "url": "/api/signatures/verify",
            "files": {"image": ("b.png", png_header_only(60000, 60000), "image/png")},
        },
    ),
    Attack(
        "an unexpected multipart field to signatures/verify",
        lambda t: {
            "method": "POST",
            "url": "/api/signatures/verify",
            "files": {"image": ("a.png", _png(64, 64, "RGB"), "image/png"), "other": ("x.txt", b"x", "text/plain")},
        },
        (422,),
    ),
    # methods and the operator's view
    Attack("a method the path does not allow", lambda t: {"method": "PUT", "url": "/api/jobs", "json": {}}, (405,)),
    Attack("health details without a credential", lambda t: {"method": "GET", "url": "/api/health/detailed"}, (401,)),
    Attack("health details as an ordinary user", signed_in("GET", "/api/health/detailed"), (401, 403)),
    # what gunicorn answers itself, before the app sees the request
    Attack("a request line too long", lambda t: {"method": "GET", "url": "/api/tests?q=" + "a" * 9000}, (414,)),
    Attack(
        "a header too large",
        lambda t: {"method": "GET", "url": "/api/health", "headers": {"X-Filler": "a" * 9000}},
        (400, 431),
    ),
    Attack(
        "too many headers",
        lambda t: {"method": "GET", "url": "/api/health", "headers": {f"X-H{n}": "1" for n in range(120)}},
        (400, 431),
    ),
]


def assert_problem(response: httpx.Response, statuses: tuple[int, ...] = ()) -> dict:
    """A 4xx application/problem+json whose body says the same status, with no trace of the server's insides."""
    text = response.text
    assert 400 <= response.status_code < 500, f"{response.status_code}: {text[:500]}"
    if statuses:
        assert response.status_code in statuses, f"{response.status_code}: {text[:500]}"
    assert response.headers.get("content-type", "").startswith("application/problem+json"), response.headers
    assert "Traceback" not in text and "<html" not in text.lower() and 'File "' not in text, text[:500]
    body = response.json()
    assert body["status"] == response.status_code and body["type"] and body["title"], body
    return body


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_an_attack_gets_a_problem_and_changes_nothing(target: Target, attack: Attack):
    before = quiet_snapshot(target)
    arguments = attack.build(target)
    method, url = arguments.pop("method"), arguments.pop("url")
    response = target.stack.http.request(method, url, **arguments)
    body = assert_problem(response, attack.statuses)
    if response.status_code == 405:
        assert response.headers.get("Allow"), "a 405 must say which methods the path allows"
    if response.status_code == 401:
        assert response.headers.get("WWW-Authenticate") or url.startswith("/api/webhooks/"), response.headers
    time.sleep(0.2)  # anything the request set going in the background has started
    after = quiet_snapshot(target)
    assert after == before, f"{attack.name} changed {changed(before, after)} ({body})"


@pytest.mark.parametrize("mode", ["P", "1", "I;16", "LA", "CMYK", "L"])
def test_any_png_mode_is_verified_or_refused_never_a_server_error(target: Target, mode: str):
    image = _png(300, 300, mode) if mode != "CMYK" else _jpeg_cmyk()
    before = quiet_snapshot(target)
    response = target.stack.http.post("/api/signatures/verify", files={"image": ("i.png", image, "image/png")})
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert_problem(response)
    else:
        assert response.json()["found"] is False
    after = quiet_snapshot(target)
    assert after == before, changed(before, after)


def _jpeg_cmyk() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("CMYK", (300, 300)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_garbage_request_line_gets_a_problem_that_echoes_nothing(target: Target):
    secret = "Bearer-secret-token-abcdef"
    for request in (
        f"GARBAGE {secret}\r\n\r\n".encode(),
        f"GET /api/health HTTP/1.1\r\nX: {secret}\0\r\n\r\n".encode(),
    ):
        head, body = _raw(target.stack.port, request)
        assert status_of(head) // 100 == 4, head
        assert b"application/problem+json" in head.lower() and secret.encode() not in head + body, head + body
        json.loads(body)


def status_of(head: bytes) -> int:
    """The status code of a raw answer's head (HTTP/1.0 or 1.1)."""
    return int(head.split(b" ", 2)[1])


def _raw(port: int, request: bytes) -> tuple[bytes, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body


def test_no_private_object_is_served_without_its_owner(target: Target):
    """Every stored object but a public style's previews is refused to anyone without a signed URL."""
    style = target.stack.http.get(f"/api/styles/{target.victim.style['id']}").json()
    public = {urlsplit(url).path for url in style.get("preview_urls", [])}
    keys = [
        str(path.relative_to(target.storage_dir))
        for path in target.storage_dir.rglob("*")
        if path.is_file() and "maildir" not in path.parts
    ]
    assert keys, "the victim's style stored nothing"
    for key in keys:
        if f"/media/{key}" in public:
            continue
        for headers in ({}, target.as_attacker()):
            response = target.stack.http.get(f"/media/{key}", headers=headers)
            assert response.status_code == 404, f"/media/{key} served to {headers or 'anyone'}"
            assert_problem(response, (404,))


def test_the_push_server_leaks_nothing_and_refuses_a_signed_out_session(target: Target):
    push = httpx.Client(base_url=target.push_url, timeout=10)
    answer = push.get("/api/events/stream", headers={"Authorization": "Bearer nope"})
    assert answer.status_code == 401 and "server" not in {k.lower() for k in answer.headers}, answer.headers
    secret = "eyJsecret-token-in-a-header"
    head, body = _raw(
        urlsplit(target.push_url).port,
        f"GET /api/events/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {secret}{'x' * 9000}\r\n\r\n".encode(),
    )
    assert status_of(head) // 100 == 4 and secret.encode() not in head + body, head + body
    assert b"\r\nserver:" not in head.lower(), head

    # A session of the victim's own, signed out: its access token must stop opening streams.
    login = target.stack.http.post(
        "/api/auth/login", json={"username": target.victim.user["username"], "password": "correct horse battery staple"}
    ).json()
    bearer = {"Authorization": f"Bearer {login['access_token']}"}
    assert target.stack.http.post("/api/auth/logout", headers=bearer).status_code == 204

    def refused() -> bool:
        with push.stream("GET", "/api/events/stream", headers=bearer) as response:
            return response.status_code == 401

    assert wait_until(refused, 5), "a signed-out session's token still opens the stream"
    assert_problem(push.get("/api/events/stream", headers=bearer), (401,))
