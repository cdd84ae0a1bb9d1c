"""A stand-in for the gateway's `POST /api/webhooks/payments`: verifies signatures, records what it got.

It applies each event id once, like the gateway (the first time `applied`, later `duplicate`),
and can be told to answer 503 (or hang) for a while, to show the service waiting and retrying.
Answers ``{"results": [{"id": ..., "payment_id": ..., "result": ...}]}``.
"""

import contextlib
import dataclasses
import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

from shared.testing import LocalServer
from shared.webhooks import InvalidSignature, WebhookVerifier

PATH = "/api/webhooks/payments"


@dataclasses.dataclass
class Delivery:
    """One signed webhook the receiver accepted."""

    webhook_id: str
    events: list[dict]


class WebhookReceiver(LocalServer):
    """Threaded HTTP server; `deliveries` are accepted webhooks, `attempts` every webhook-id tried."""

    def __init__(self, secret: str, host: str = "127.0.0.1", port: int = 0):
        super().__init__(_make_handler(self), host, port)
        self._verifier = WebhookVerifier([secret])
        self.deliveries: list[Delivery] = []
        self.attempts: list[str] = []
        self.applied: dict[str, dict] = {}  # event id -> the event, first time only
        self.rejected_signatures = 0
        self.unavailable = 0  # answer 503 to this many more requests
        self.hang_seconds = 0.0  # or keep them waiting this long (503 afterwards)

    def events_for(self, payment_id: str) -> list[dict]:
        """Every event received for `payment_id`, re-reports included, in arrival order."""
        with self._lock:
            return [e for d in self.deliveries for e in d.events if e.get("payment_id") == payment_id]

    def applied_for(self, payment_id: str) -> list[dict]:
        """The events applied (once per event id) for `payment_id`."""
        with self._lock:
            return [e for e in self.applied.values() if e.get("payment_id") == payment_id]

    def wait_for_events(self, payment_id: str, count: int = 1, timeout: float = 20.0) -> list[dict]:
        with self._lock:
            self._lock.wait_for(lambda: len(self.events_for(payment_id)) >= count, timeout=timeout)
            return self.events_for(payment_id)

    def wait_for_attempts(self, count: int, timeout: float = 20.0) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: len(self.attempts) >= count, timeout=timeout)

    def accept(self, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
        """Verify, then record and answer; the status and JSON body to send."""
        try:
            webhook_id = self._verifier.verify(body, headers)
        except InvalidSignature as exc:
            with self._lock:
                self.rejected_signatures += 1
            return 401, {"title": str(exc)}
        with self._lock:
            self.attempts.append(webhook_id)
            self._lock.notify_all()
            busy = self.unavailable > 0
            self.unavailable -= 1 if busy else 0
            hang = self.hang_seconds
        if hang:
            self._stopping.wait(hang)
        if busy or hang:
            return 503, {"title": "gateway unavailable (stand-in)"}
        events = json.loads(body)["events"]
        with self._lock:
            self.deliveries.append(Delivery(webhook_id, events))
            results = []
            for event in events:
                fresh = event["id"] not in self.applied
                self.applied.setdefault(event["id"], event)
                results.append({"id": event["id"], "payment_id": event["payment_id"], "result": _verdict(fresh)})
            self._lock.notify_all()
        return 200, {"webhook_id": webhook_id, "results": results}


def _verdict(fresh: bool) -> str:
    return "applied" if fresh else "duplicate"


def _make_handler(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            if self.path != PATH:
                status, answer = 404, {"title": "no such route"}
            else:
                status, answer = receiver.accept(body, {k.lower(): v for k, v in self.headers.items()})
            payload = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler


@contextlib.contextmanager
def start_receiver(secret: str) -> Iterator[WebhookReceiver]:
    with WebhookReceiver(secret) as receiver:
        yield receiver
