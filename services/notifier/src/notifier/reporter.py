"""Reports delivery attempts to the gateway in signed batches (POST /api/webhooks/notifier).

Reports from every handler thread are gathered for a few milliseconds (or until
the batch is full) and posted as one `{"events": [...]}` webhook. Each caller
gets a Future with the gateway's verdict on its report ('applied',
'duplicate', ...), so the delivery is acked only once its report is recorded.
"""

import json
import logging
import queue
import threading
import time
from concurrent.futures import Future

from shared.webhooks.sender import WebhookRejected, WebhookSender

log = logging.getLogger(__name__)
NOTIFIER_WEBHOOK_PATH = "/api/webhooks/notifier"
_STOP = object()


class ReportBatcher:
    """One background thread that batches NotifierReports (as dicts) into signed webhooks."""

    def __init__(self, sender: WebhookSender, max_batch: int = 200, linger_seconds: float = 0.05):
        self._sender = sender
        self._max_batch = max_batch
        self._linger = linger_seconds
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="notifier-reporter", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=10)

    def submit(self, report: dict) -> "Future[str]":
        future: Future = Future()
        self._queue.put((report, future))
        return future

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch, stop = self._gather(first)
            self._send(batch)
            if stop:
                return

    def _gather(self, first) -> tuple[list, bool]:
        batch = [first]
        deadline = time.monotonic() + self._linger
        while len(batch) < self._max_batch:
            remaining = deadline - time.monotonic()
            try:
                item = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                return batch, True
            batch.append(item)
        return batch, False

    def _send(self, batch: list) -> None:
        body = json.dumps({"events": [report for report, _ in batch]}, ensure_ascii=False).encode()
        try:
            answer = self._sender.post(NOTIFIER_WEBHOOK_PATH, body)
        except WebhookRejected as exc:
            log.error("the gateway refused %d reports: %s", len(batch), exc)
            for _, future in batch:
                future.set_exception(exc)
            return
        results = answer.get("results") if isinstance(answer, dict) else None
        verdicts = {r.get("id"): r.get("result") for r in results if isinstance(r, dict)} if results else {}
        for report, future in batch:
            future.set_result(str(verdicts.get(report["id"], "accepted")))
