"""A stand-in for the gateway's POST /api/webhooks/careers: checks the jobs secret's signature, keeps each task's
status moving forward only, and answers each event `applied`, `stale` or `not_found` as the gateway does."""

import contextlib
import dataclasses
import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

from shared.messages.base import MessageError
from shared.messages.careers import CareersEvent
from shared.testing import LocalServer
from shared.webhooks import InvalidSignature, WebhookVerifier

PATH = "/api/webhooks/careers"
FINAL = {"careers.completed", "careers.failed"}


@dataclasses.dataclass
class Received:
    """One event the receiver took, with its verdict."""

    event: CareersEvent
    verdict: str
    webhook_id: str


class CareersReceiver(LocalServer):
    """Threaded HTTP server; `received` in arrival order."""

    def __init__(self, secret: str, host: str = "127.0.0.1", port: int = 0, path=PATH, event_class=CareersEvent):
        super().__init__(_make_handler(self), host, port)
        self._path, self._event_class = path, event_class  # the classroom's receiver is this one on its own path
        self._final = {f"{path.rsplit('/', 1)[1]}.completed", f"{path.rsplit('/', 1)[1]}.failed"}
        self._verifier = WebhookVerifier([secret])
        self.received: list[Received] = []
        self.finished: dict[tuple, str] = {}  # (task, task_id, step) -> the final type applied
        self.rejected_signatures = 0
        self.unavailable = 0  # answer 503 to this many more requests
        self.unknown_ids: set[str] = set()  # tasks the "gateway" does not have

    def about(self, task_id: str, kind: str | None = None, verdict: str | None = None) -> list[Received]:
        with self._lock:
            return [
                r
                for r in self.received
                if r.event.task_id == task_id and kind in (None, r.event.type) and verdict in (None, r.verdict)
            ]

    def wait_for(self, task_id: str, kind: str, count: int = 1, timeout: float = 30.0) -> list[Received]:
        with self._lock:
            self._lock.wait_for(lambda: len(self.about(task_id, kind)) >= count, timeout=timeout)
        return self.about(task_id, kind)

    def accept(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        if path.rstrip("/") != self._path:
            return 404, {"title": "no such route"}
        try:
            webhook_id = self._verifier.verify(body, headers)
        except InvalidSignature as exc:
            with self._lock:
                self.rejected_signatures += 1
            return 401, {"title": str(exc)}
        try:
            events = [self._event_class.from_dict(item) for item in json.loads(body)["events"]]
            for event in events:
                event.check()  # each held to its contract, as the gateway's schemas are
        except (MessageError, KeyError, TypeError, ValueError) as exc:
            return 422, {"title": f"the events do not validate: {exc}"}
        with self._lock:
            if self.unavailable > 0:
                self.unavailable -= 1
                return 503, {"title": "gateway unavailable (stand-in)"}
            results = [self._apply(event, webhook_id) for event in events]
            self._lock.notify_all()
        return 200, {"webhook_id": webhook_id, "results": results}

    def _apply(self, event, webhook_id: str) -> dict:
        subject = (event.task, event.task_id, getattr(event, "step", 0))
        if event.task_id in self.unknown_ids:
            verdict = "not_found"
        elif subject in self.finished:
            verdict = "stale"
        else:
            verdict = "applied"
            if event.type in self._final:
                self.finished[subject] = event.type
        self.received.append(Received(event, verdict, webhook_id))
        return {"id": event.id, "task": event.task, "task_id": event.task_id, "result": verdict}


def _make_handler(receiver: CareersReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, answer = receiver.accept(self.path, body, headers)
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
def start_careers_receiver(secret: str, **options) -> Iterator[CareersReceiver]:
    with CareersReceiver(secret, **options) as receiver:
        yield receiver
