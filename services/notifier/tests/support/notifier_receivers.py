"""HTTP stand-ins started by the tests: the gateway's report receiver, and customers' webhook endpoints."""

import dataclasses
import json
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from joserfc.jwk import KeySet

from shared.testing import LocalServer
from shared.webhooks import InvalidSignature, WebhookVerifier

REPORTS_PATH = "/api/webhooks/notifier"
JWKS_PATH = "/api/auth/jwks"


class _Server(LocalServer):
    """A threaded HTTP server on a free local port; `handle(method, path, headers, body)` answers."""

    def __init__(self):
        super().__init__(_make_handler(self))
        self.lock, self.stopping = self._lock, self._stopping

    def wait(self, predicate, timeout: float = 20.0):
        with self.lock:
            return self.lock.wait_for(predicate, timeout=timeout)

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict, bytes]:
        raise NotImplementedError


class GatewayStandIn(_Server):
    """Verifies the notifier's signed report batches; each report id is applied once. Also serves a JWKS."""

    def __init__(self, secret: str):
        super().__init__()
        self._verifier = WebhookVerifier([secret])
        self.reports: list[dict] = []  # every report received, re-reports included
        self.applied: dict[str, dict] = {}
        self.rejected_signatures = 0
        self.jwks: dict = {"keys": []}
        self.jwks_requests = 0

    def use_keys(self, *keys) -> None:
        self.jwks = KeySet(list(keys)).as_dict(private=False)

    def handle(self, method, path, headers, body):
        if method == "GET" and path == JWKS_PATH:
            with self.lock:
                self.jwks_requests += 1
            return 200, {}, json.dumps(self.jwks).encode()
        if method != "POST" or path != REPORTS_PATH:
            return 404, {}, b"{}"
        try:
            webhook_id = self._verifier.verify(body, headers)
        except InvalidSignature as exc:
            with self.lock:
                self.rejected_signatures += 1
            return 401, {}, json.dumps({"title": str(exc)}).encode()
        results = []
        with self.lock:
            for report in json.loads(body)["events"]:
                self.reports.append(report)
                fresh = report["id"] not in self.applied
                self.applied.setdefault(report["id"], report)
                results.append({"id": report["id"], "result": "applied" if fresh else "duplicate"})
            self.lock.notify_all()
        return 200, {}, json.dumps({"webhook_id": webhook_id, "results": results}).encode()

    def attempts(self, delivery_id: str) -> list[dict]:
        """The `webhook.attempted` reports of one delivery, by attempt (first copy of each)."""
        with self.lock:
            found = [r for r in self.applied.values() if r["type"] == "webhook.attempted"]
            found = [r for r in found if r["data"]["delivery_id"] == delivery_id]
        return sorted(found, key=lambda r: r["data"]["attempt"])

    def disabled(self, endpoint_id: str) -> list[dict]:
        with self.lock:
            return [
                r for r in self.applied.values() if r["type"] == "endpoint.disabled" and r["endpoint_id"] == endpoint_id
            ]

    def wait_for_attempts(self, delivery_id: str, count: int, timeout: float = 20.0) -> list[dict]:
        self.wait(lambda: len(self.attempts(delivery_id)) >= count, timeout)
        return self.attempts(delivery_id)

    def wait_for_outcome(self, delivery_id: str, outcomes: set[str], timeout: float = 20.0) -> list[dict]:
        self.wait(lambda: any(r["data"]["outcome"] in outcomes for r in self.attempts(delivery_id)), timeout)
        return self.attempts(delivery_id)


@dataclasses.dataclass
class Reply:
    """What a customer endpoint answers (after `delay` seconds)."""

    status: int = 200
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    delay: float = 0.0


@dataclasses.dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


class CustomerEndpoint(_Server):
    """Any path accepts POSTs; `script(path, replies)` sets the answers in turn (the last one repeats)."""

    def __init__(self):
        super().__init__()
        self.received: list[Received] = []
        self._scripts: dict[str, list[Reply]] = {}
        self.finished: dict[str, int] = {}  # path -> answers actually sent

    def script(self, path: str, *replies: Reply) -> str:
        self._scripts[path] = list(replies)
        return self.url + path

    def handle(self, method, path, headers, body):
        with self.lock:
            self.received.append(Received(path, headers, body, time.monotonic()))
            replies = self._scripts.get(path) or [Reply()]
            reply = replies.pop(0) if len(replies) > 1 else replies[0]
            self.lock.notify_all()
        if reply.delay:
            self.stopping.wait(reply.delay)
        with self.lock:
            self.finished[path] = self.finished.get(path, 0) + 1
            self.lock.notify_all()
        return reply.status, reply.headers, b'{"ok": true}'

    def requests_to(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == path]

    def wait_for_requests(self, path: str, count: int, timeout: float = 20.0) -> list[Received]:
        self.wait(lambda: len([r for r in self.received if r.path == path]) >= count, timeout)
        return self.requests_to(path)


def _make_handler(server: _Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _serve(self, method: str) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, payload = server.handle(method, self.path, headers, body)
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def do_POST(self) -> None:
            self._serve("POST")

        def do_GET(self) -> None:
            self._serve("GET")

    return Handler
