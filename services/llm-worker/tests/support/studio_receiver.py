"""A stand-in for the gateway's studio webhooks: verifies each family's signature with its own secret.

Training reports (`/api/webhooks/training/...`) verify only with the training
secret, inference reports only with the inference secret, like the gateway.
It records what it accepted; it can answer 503 for a while, 404 for unknown
ids, or hold one family's requests at a gate.
"""

import contextlib
import dataclasses
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

from shared.testing import LocalServer
from shared.webhooks import InvalidSignature, WebhookVerifier

ROUTES = {
    ("PATCH", "training", "progress"),
    ("POST", "training", "complete"),
    ("POST", "training", "failed"),
    ("PATCH", "inference", "progress"),
    ("POST", "inference", "complete"),
    ("POST", "inference", "failed"),
}


@dataclasses.dataclass
class Report:
    """One signed report the receiver accepted."""

    family: str  # training | inference
    kind: str  # progress | complete | failed
    webhook_id: str
    body: dict


class StudioReceiver(LocalServer):
    """Threaded HTTP server; `reports` in arrival order."""

    def __init__(self, training_secret: str, inference_secret: str, host: str = "127.0.0.1", port: int = 0):
        super().__init__(_make_handler(self), host, port)
        self._verifiers = {
            "training": WebhookVerifier([training_secret]),
            "inference": WebhookVerifier([inference_secret]),
        }
        self.reports: list[Report] = []
        self.rejected_signatures = 0
        self.unavailable = 0  # answer 503 to this many more requests
        self.unknown_ids: set[str] = set()  # answer 404 for reports about these ids
        self.gates: dict[str, threading.Event] = {}  # family -> held until set

    def stop(self) -> None:
        for gate in self.gates.values():
            gate.set()
        super().stop()

    def about(self, subject_id: str, kind: str | None = None) -> list[Report]:
        """Accepted reports whose style_id or generation_id is `subject_id` (of one kind, if given)."""
        with self._lock:
            return [r for r in self.reports if _subject(r.body) == subject_id and kind in (None, r.kind)]

    def wait_for(self, subject_id: str, kind: str, count: int = 1, timeout: float = 30.0) -> list[Report]:
        with self._lock:
            self._lock.wait_for(lambda: len(self.about(subject_id, kind)) >= count, timeout=timeout)
        return self.about(subject_id, kind)

    def accept(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        parts = path.rstrip("/").split("/")  # ["", "api", "webhooks", family, kind]
        if len(parts) != 5 or (method, parts[3], parts[4]) not in ROUTES:
            return 404, {"title": "no such route"}
        family, kind = parts[3], parts[4]
        try:
            webhook_id = self._verifiers[family].verify(body, headers)
        except InvalidSignature as exc:
            with self._lock:
                self.rejected_signatures += 1
            return 401, {"title": str(exc)}
        gate = self.gates.get(family)
        while gate is not None and not gate.wait(0.05):
            if self._stopping.is_set():
                return 503, {"title": "stopping"}
        data = json.loads(body)
        with self._lock:
            if self.unavailable > 0:
                self.unavailable -= 1
                return 503, {"title": "gateway unavailable (stand-in)"}
            if _subject(data) in self.unknown_ids:
                return 404, {"title": "unknown id"}
            self.reports.append(Report(family, kind, webhook_id, data))
            self._lock.notify_all()
        return (204, None) if kind == "progress" else (200, {"result": "applied"})


def _subject(body: dict) -> str | None:
    return body.get("style_id") or body.get("generation_id")


def _make_handler(receiver: StudioReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, answer = receiver.accept(self.command, self.path, body, headers)
            payload = b"" if answer is None else json.dumps(answer).encode()
            try:
                self.send_response(status)
                if payload:
                    self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        do_POST = _handle
        do_PATCH = _handle

    return Handler


@contextlib.contextmanager
def start_studio_receiver(training_secret: str, inference_secret: str) -> Iterator[StudioReceiver]:
    with StudioReceiver(training_secret, inference_secret) as receiver:
        yield receiver
