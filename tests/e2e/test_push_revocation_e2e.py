"""Signing out, a reused refresh token and closing the account cut the push streams they cover, and nothing else.

Real processes: the gateway (gunicorn), the outbox relay and the notifier. The
push clients are the notifier tests' own SSE and WebSocket clients.
"""

import importlib.util
import sys
from pathlib import Path

import httpx
import pytest
from e2e_stack import ROOT, free_port

from shared.testing import wait_until

PASSWORD = "correct horse battery staple"  # Stack.sign_in's


def load_push_clients():
    """services/notifier/tests/support/notifier_clients.py, loaded by path."""
    path = ROOT / "services/notifier/tests/support/notifier_clients.py"
    spec = importlib.util.spec_from_file_location("e2e_notifier_clients", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


clients = load_push_clients()


@pytest.fixture
def push_loop():
    loop = clients.LoopThread()
    yield loop
    loop.close()


def healthy(url: str) -> bool:
    try:
        return httpx.get(url).status_code == 200
    except httpx.HTTPError:
        return False


def bearer(pair: dict) -> dict:
    return {"Authorization": f"Bearer {pair['access_token']}"}


def cut(client) -> bool:
    """The server ended it: SSE `event: closed`, WebSocket close code 4003."""
    return client.closed_by_server in ("closed", "4003")


def test_sign_out_refresh_reuse_and_closure_cut_exactly_the_streams_they_cover(stack, push_loop):
    port = free_port()
    push = f"http://127.0.0.1:{port}"
    stack.start("gateway")
    stack.start("relay")
    stack.start("notifier", {"NOTIFIER_BIND": f"127.0.0.1:{port}", "MAILDIR": str(Path(stack.workdir) / "mail")})
    user = stack.sign_in()
    assert wait_until(lambda: healthy(f"{push}/healthz"), 20), stack.logs("notifier")

    def login() -> dict:
        response = stack.http.post("/api/auth/login", json={"username": user["username"], "password": PASSWORD})
        assert response.status_code == 200, response.text
        return response.json()

    def streams(pair: dict) -> list:
        return [
            clients.SseClient(push_loop, push, pair["access_token"]).start(),
            clients.WsClient(push_loop, push, pair["access_token"]).start(),
        ]

    def assert_refused(pair: dict) -> None:
        for path in ("/api/events/stream", "/ws/events"):
            status, content_type, body = push_loop.run(
                clients.refused(push_loop.session, push + path, headers=bearer(pair))
            )
            assert (status, content_type) == (401, "application/problem+json"), (path, body)
            assert "revoked" in body["detail"]
        assert clients.WsClient(push_loop, push, pair["access_token"]).start().status == 401  # no upgrade

    signed_out, kept, stolen = login(), login(), login()
    signed_out_streams, kept_streams, stolen_streams = streams(signed_out), streams(kept), streams(stolen)

    # 1. Sign-out: that session's streams end, its token is refused at once; the user's other sessions stay.
    assert stack.http.post("/api/auth/logout", headers=bearer(signed_out)).status_code == 204
    assert_refused(signed_out)
    assert wait_until(lambda: all(map(cut, signed_out_streams)), 15), stack.logs("notifier")
    assert signed_out_streams[0].closed_with["code"] == 4003

    # 2. A refresh token presented twice: the whole session is revoked, its streams end.
    refresh = {"refresh_token": stolen["refresh_token"]}
    assert stack.http.post("/api/auth/refresh", json=refresh).status_code == 200
    assert stack.http.post("/api/auth/refresh", json=refresh).status_code == 401
    assert_refused(stolen)
    assert wait_until(lambda: all(map(cut, stolen_streams)), 15), stack.logs("notifier")
    # By now both revocations were handled: the session nobody revoked is still open.
    assert not any(map(cut, kept_streams)), [c.closed_by_server for c in kept_streams]

    # 3. Closing the account ends every stream of the user, whichever session opened it.
    late = streams(login())
    closed = stack.http.request("DELETE", "/api/users/me", json={"password": PASSWORD}, headers=bearer(kept))
    assert closed.status_code == 204, closed.text
    assert wait_until(lambda: all(map(cut, kept_streams + late)), 15), stack.logs("notifier")
    assert kept_streams[0].closed_with["reason"] == "the account was closed"
    assert_refused(kept)
    assert (
        stack.http.post("/api/auth/login", json={"username": user["username"], "password": PASSWORD}).status_code == 401
    )
