"""Reports delivery attempts to the gateway in signed batches (POST /api/webhooks/notifier).

Reports from every handler thread are gathered for a few milliseconds (or until
the batch is full) and posted as one `{"events": [...]}` webhook. Each caller
gets a Future with the gateway's verdict on its report ('applied',
'duplicate', ...), so the delivery is acked only once its report is recorded.
"""

import json
import logging

from shared.webhooks.batcher import Batcher
from shared.webhooks.sender import WebhookRejected, WebhookSender

log = logging.getLogger(__name__)
NOTIFIER_WEBHOOK_PATH = "/api/webhooks/notifier"


class ReportBatcher(Batcher):
    """One background thread that batches NotifierReports (as dicts) into signed webhooks."""

    def __init__(self, sender: WebhookSender, max_batch: int = 200, linger_seconds: float = 0.05):
        super().__init__(max_batch, linger_seconds, "notifier-reporter")
        self._sender = sender

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
