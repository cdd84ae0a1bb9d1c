"""Reports job events to the gateway in signed batches.

A job costs the gateway one webhook request per batch, not one per event:
events from every handler thread are gathered for a few milliseconds (or until
the batch is full) and posted together. Each caller gets a Future that resolves
to the gateway's verdict on its event once the batch was accepted. A batch
whose body would pass `max_bytes` leaves as several webhooks, so the gateway's
body limit never refuses a whole batch of finished jobs.
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

    def __init__(
        self,
        sender: WebhookSender,
        path: str,
        max_batch: int = 200,
        linger_seconds: float = 0.01,
        max_bytes: int = 512 * 1024,
    ):
        super().__init__(max_batch, linger_seconds, "webhook-reporter")
        self._sender = sender
        self._path = path
        self._max_bytes = max_bytes

    def _send(self, batch: list) -> None:
        batch, superseded = coalesce(batch)
        encoded = [(event, future, json.dumps(event.to_dict(), ensure_ascii=False).encode()) for event, future in batch]
        refused: dict[str, Exception] = {}  # job id -> why its final report was refused
        for part in split_by_size(encoded, self._max_bytes - len(b'{"events":[]}')):
            body = b'{"events":[' + b",".join(raw for _, _, raw in part) + b"]}"
            try:
                answer = self._sender.post(self._path, body)
            except WebhookRejected as exc:
                log.error("gateway rejected a batch of %d events: %s", len(part), exc)
                for event, future, _ in part:
                    refused[event.job_id] = exc
                    future.set_exception(exc)
                continue
            verdicts = {r["id"]: r["result"] for r in answer.get("results", [])}
            for event, future, _ in part:
                future.set_result(verdicts.get(event.id, "not_found"))
        for event, future in superseded:
            if event.job_id in refused:
                future.set_exception(refused[event.job_id])
            else:
                future.set_result("superseded")


def split_by_size(encoded: list[tuple], limit: int) -> list[list[tuple]]:
    """Consecutive runs of (event, future, raw JSON) whose raw JSON, comma-joined, fits in `limit` bytes (an
    event larger than that on its own goes alone)."""
    parts: list[list[tuple]] = [[]]
    size = 0
    for item in encoded:
        cost = len(item[2]) + 1
        if parts[-1] and size + cost > limit:
            parts.append([])
            size = 0
        parts[-1].append(item)
        size += cost
    return [part for part in parts if part]


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
