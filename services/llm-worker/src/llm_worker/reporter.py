"""Reports job events to the gateway in signed batches.

A job costs the gateway one webhook request per batch, not one per event:
events from every handler thread are gathered for a few milliseconds (or until
the batch is full) and posted together. Each caller gets a Future that resolves
to the gateway's verdict on its event once the batch was accepted.
"""

import json
import logging

from shared.webhooks.batcher import Batcher
from shared.webhooks.sender import WebhookRejected, WebhookSender

log = logging.getLogger(__name__)
FINAL_TYPES = {"job.completed", "job.failed"}


class BatchReporter(Batcher):
    """One background thread that batches JobEvents into signed webhooks.

    `submit(event)` gives a Future of 'applied', 'stale' or 'not_found' once the gateway answered.
    """

    def __init__(self, sender: WebhookSender, path: str, max_batch: int = 200, linger_seconds: float = 0.01):
        super().__init__(max_batch, linger_seconds, "webhook-reporter")
        self._sender = sender
        self._path = path

    def _send(self, batch: list) -> None:
        batch, superseded = coalesce(batch)
        body = json.dumps({"events": [event.to_dict() for event, _ in batch]}, ensure_ascii=False).encode()
        try:
            answer = self._sender.post(self._path, body)
        except WebhookRejected as exc:
            log.error("gateway rejected a batch of %d events: %s", len(batch), exc)
            for _, future in batch + superseded:
                future.set_exception(exc)
            return
        verdicts = {r["id"]: r["result"] for r in answer.get("results", [])}
        for event, future in batch:
            future.set_result(verdicts.get(event.id, "not_found"))
        for _, future in superseded:
            future.set_result("superseded")


def coalesce(batch: list) -> tuple[list, list]:
    """Drop a job's earlier events when its final event is in the same batch.

    The final event carries everything they said (status, steps, timings), so
    the gateway does one update per job instead of four; status still only
    moves forward. Returns (events to send, superseded events).
    """
    final = {event.job_id for event, _ in batch if event.type in FINAL_TYPES}
    if not final:
        return batch, []
    keep = [(e, f) for e, f in batch if e.job_id not in final or e.type in FINAL_TYPES]
    dropped = [(e, f) for e, f in batch if e.job_id in final and e.type not in FINAL_TYPES]
    return keep, dropped
