"""The gateway's gunicorn under slow clients and malformed requests: a real gunicorn, real sockets.

A sync worker is tied up only once a request has arrived (gateway/serving):
slow clients wait without holding a worker, are cut with a 408 at their
deadline, and every refusal gunicorn makes itself is problem+json that does not
quote the request.
"""

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from shared.testing import wait_until

ROOT = Path(__file__).resolve().parents[4]
MARKER = b"QUOTEDBACK"  # put in each malformed request; an answer quoting the request would contain it
HEALTH = b"GET /api/health HTTP/1.1\r\nHost: gateway\r\n\r\n"


class Gateway:
    """gunicorn with the deployed config and the gateway app, on a port of its own."""

    def __init__(self, env: dict[str, str], workdir: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = workdir / f"gunicorn-{self.port}.log"
        command = [str(Path(sys.executable).parent / "gunicorn"), "--config", str(ROOT / "deploy/gunicorn.conf.py")]
        env = {"PATH": os.environ["PATH"], "GATEWAY_BIND": f"127.0.0.1:{self.port}", **env}
        with self.log.open("ab") as log:  # cwd without a .env: only `env` configures it
            self.process = subprocess.Popen(
                [*command, "gateway.wsgi:create_app()"], cwd=workdir, env=env, stdout=log, stderr=log
            )
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=20)
        assert wait_until(self._up, 30), self.log.read_text()[-3000:]

    def _up(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
        try:
            return self.http.get("/api/health").status_code == 200
        except httpx.HTTPError:
            return False

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=30)

    def ask(self, request: bytes) -> tuple[bytes, bytes]:
        """Send `request` whole; the answer's head and body, read until the server closes."""
        with self.connect() as sock:
            sock.sendall(request)
            return answer_of(sock)

    def stop(self) -> None:
        self.http.close()
        self.process.terminate()
        self.process.wait(timeout=30)


def answer_of(sock: socket.socket) -> tuple[bytes, bytes]:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body


def assert_problem(head: bytes, body: bytes, status: int) -> dict:
    assert head.startswith(b"HTTP/1.1 %d " % status), head
    assert b"\r\ncontent-type: application/problem+json" in head.lower()
    problem = json.loads(body)
    assert problem["status"] == status and problem["type"].startswith("/problems/") and problem["title"]
    assert MARKER not in head + body
    return problem


@pytest.fixture(scope="module")
def gateway_env(database_url, jwt_private_key, redis_prefix):
    return {
        "APP_ENV": "test",
        "DATABASE_URL": database_url,
        "JWT_PRIVATE_KEY": jwt_private_key,
        "RATE_LIMIT_PREFIX": f"{redis_prefix}:ratelimit",
        "WEB_CONCURRENCY": "2",
    }


@pytest.fixture(scope="module")
def gateway(gateway_env, tmp_path_factory):
    """A deadline long enough that no slow client is cut while a test runs."""
    server = Gateway({**gateway_env, "REQUEST_HEAD_TIMEOUT_SECONDS": "120"}, tmp_path_factory.mktemp("gateway"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def impatient_gateway(gateway_env, tmp_path_factory):
    """A deadline of a second, to watch clients being cut."""
    server = Gateway({**gateway_env, "REQUEST_HEAD_TIMEOUT_SECONDS": "1"}, tmp_path_factory.mktemp("impatient"))
    yield server
    server.stop()


class Drip:
    """Clients that each send `request` one byte at a time, every `interval` seconds, from one thread."""

    def __init__(self, gateway: Gateway, clients: int, request: bytes, interval: float):
        self.socks = [gateway.connect() for _ in range(clients)]
        self.request, self.interval, self.sent = request, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while self.sent < len(self.request) - 1 and not self._stop.is_set():  # never the last byte
            for sock in self.socks:
                with contextlib.suppress(OSError):  # cut by the server
                    sock.sendall(self.request[self.sent : self.sent + 1])
            self.sent += 1
            self._stop.wait(self.interval)

    def unanswered(self) -> int:
        """How many of them the server has neither answered nor closed (nothing to read yet)."""
        readable, _, _ = select.select(self.socks, [], [], 0)
        return len(self.socks) - len(readable)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)
        for sock in self.socks:
            sock.close()


def test_twenty_slow_clients_leave_the_workers_to_everyone_else(gateway):
    drip = Drip(gateway, clients=20, request=HEALTH, interval=2.0)
    try:
        for _ in range(5):  # two workers, twenty slow clients: each of these would wait behind them
            assert gateway.http.get("/api/health").status_code == 200
            submitted = gateway.http.post("/api/jobs", json={"text": "Sign in at the front desk."})
            assert submitted.status_code == 202, submitted.text
        assert drip.unanswered() == 20  # answered while every slow client was still sending its head
    finally:
        drip.stop()


def test_a_client_that_keeps_sending_is_still_cut_at_its_deadline(impatient_gateway):
    drip = Drip(impatient_gateway, clients=1, request=HEALTH, interval=0.2)  # a byte well within any per-read timeout
    try:
        problem = assert_problem(*answer_of(drip.socks[0]), 408)
        assert problem["type"] == "/problems/request-timeout"
    finally:
        drip.stop()


@pytest.mark.parametrize(
    "request_bytes",
    [
        b'POST /api/jobs HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"text": ',
        b'POST /api/jobs HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n{"text": "'
        + b"a" * 70_000,
        b'POST /api/auth/signup HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 200000\r\n\r\n{"x": "'
        + b"a" * 70_000,
    ],
    ids=["a small body, read with the head", "a large body, on the fast path", "a large body, read by a view"],
)
def test_a_body_that_stops_arriving_is_a_408(impatient_gateway, request_bytes):
    with impatient_gateway.connect() as sock:
        sock.sendall(request_bytes)
        assert_problem(*answer_of(sock), 408)
    assert impatient_gateway.http.get("/api/health").status_code == 200


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /" + MARKER * 500 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET /" + MARKER * 7000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\nX-Big: " + MARKER * 900 + b"\r\n\r\n", 431),
        (b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: %s\r\n" % (n, MARKER) for n in range(150)) + b"\r\n", 431),
        (b"GET / HTTP/1.1\r\n" + (b"X-Filler: " + MARKER * 100 + b"\r\n") * 80, 431),
        (b"HELLO " + MARKER + b"\r\n\r\n", 400),
        (b"GET /\x01" + MARKER + b" HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\n" + MARKER + b" name: x\r\n\r\n", 400),
        (b"GET / HTTP/9." + MARKER + b"\r\n\r\n", 400),
    ],
    ids=[
        "a long request line",
        "a request line over the head limit",
        "a large field",
        "too many fields",
        "a head that never ends",
        "not a request line",
        "a bad target",
        "a bad field name",
        "a bad version",
    ],
)
def test_requests_gunicorn_refuses_are_problems_that_quote_nothing(gateway, request_bytes, status):
    assert_problem(*gateway.ask(request_bytes), status)


def test_requests_arriving_in_pieces_or_with_bodies_of_every_size_are_served(gateway):
    with gateway.connect() as sock:
        for piece in (HEALTH[:10], HEALTH[10:30], HEALTH[30:]):
            sock.sendall(piece)
            time.sleep(0.05)  # each piece its own packet
        head, body = answer_of(sock)
    assert head.startswith(b"HTTP/1.1 200 ") and json.loads(body) == {"status": "ok"}
    for size in (10, 30_000, 150_000):  # within one read, within the read-ahead, streamed past it
        submitted = gateway.http.post("/api/jobs", json={"text": "x" * size})
        assert submitted.status_code == 202 and submitted.headers["Location"].startswith("/api/jobs/")


def test_a_request_still_arriving_when_the_server_stops_is_served_before_it_exits(gateway_env, tmp_path):
    server = Gateway({**gateway_env, "WEB_CONCURRENCY": "1"}, tmp_path)
    try:
        with server.connect() as sock:
            sock.sendall(HEALTH[:10])
            assert server.http.get("/api/health").status_code == 200  # accepted after it: the first is held
            server.process.send_signal(signal.SIGTERM)
            sock.sendall(HEALTH[10:])
            head, _ = answer_of(sock)
        assert head.startswith(b"HTTP/1.1 200 ")
        assert server.process.wait(timeout=30) == 0
    finally:
        server.stop()


def test_every_operation_documents_the_servers_own_refusals(client):
    spec = client.get("/schema/").json
    operations = [op for path in spec["paths"].values() for op in path.values() if isinstance(op, dict)]
    assert operations
    for operation in operations:
        for status in ("400", "408", "414", "431"):
            assert status in operation["responses"], (operation.get("summary"), status)
    for name in ("REQUEST_TIMEOUT", "REQUEST_URI_TOO_LONG", "REQUEST_HEADER_FIELDS_TOO_LARGE"):
        content = spec["components"]["responses"][name]["content"]
        assert list(content) == ["application/problem+json"]
