"""Reports job (and careers) events to the gateway in signed batches.

A job costs the gateway one webhook request per batch, not one per event:
events from every handler thread are gathered for a few milliseconds (or until
the batch is full) and posted together. Each caller gets a Future that resolves
to the gateway's verdict on its event once the batch was accepted. A batch
whose body would pass `max_bytes` leaves as several webhooks, so the gateway's
body limit never refuses a whole batch of finished jobs.
"""

import json
import logging
from collections.abc import Callable

from shared.webhooks.batcher import Batcher
from shared.webhooks.sender import WebhookRejected, WebhookSender

log = logging.getLogger(__name__)
FINAL_TYPES = {"job.completed", "job.failed"}


def job_of(event) -> str:
    return event.job_id


class BatchReporter(Batcher):
    """One background thread that batches events into signed webhooks.

    `submit(event)` gives a Future of the gateway's verdict on it ('applied', 'stale', 'not_found', ...) once
    the gateway answered. `subject(event)` names what an event is about (a job) and `final_types` the events
    that end it: a subject's earlier events are dropped when its final one is in the same batch.
    """

    def __init__(
        self,
        sender: WebhookSender,
        path: str,
        max_batch: int = 200,
        linger_seconds: float = 0.01,
        max_bytes: int = 512 * 1024,
        subject: Callable[[object], str] = job_of,
        final_types: frozenset[str] | set[str] = frozenset(FINAL_TYPES),
    ):
        super().__init__(max_batch, linger_seconds, "webhook-reporter")
        self._sender = sender
        self._path = path
        self._max_bytes = max_bytes
        self._subject = subject
        self._final_types = final_types

    def _send(self, batch: list) -> None:
        batch, superseded = coalesce(batch, self._subject, self._final_types)
        encoded = [(event, future, json.dumps(event.to_dict(), ensure_ascii=False).encode()) for event, future in batch]
        refused: dict[str, Exception] = {}  # subject -> why its final report was refused
        for part in split_by_size(encoded, self._max_bytes - len(b'{"events":[]}')):
            self._post(part, refused)
        for event, future in superseded:
            if self._subject(event) in refused:
                future.set_exception(refused[self._subject(event)])
            else:
                future.set_result("superseded")

    def _post(self, part: list[tuple], refused: dict[str, Exception]) -> None:
        """Post one part and resolve its futures; a refused part of several events is posted again one event at a
        time, so one event the gateway cannot take never takes the others down with it."""
        body = b'{"events":[' + b",".join(raw for _, _, raw in part) + b"]}"
        try:
            answer = self._sender.post(self._path, body)
        except WebhookRejected as exc:
            if len(part) > 1 and exc.status != 0:  # 0: the sender is stopping
                log.warning("gateway rejected a batch of %d events (%s); posting them one by one", len(part), exc)
                for item in part:
                    self._post([item], refused)
                return
            log.error("gateway rejected a batch of %d events: %s", len(part), exc)
            for event, future, _ in part:
                refused[self._subject(event)] = exc
                future.set_exception(exc)
            return
        verdicts = {r["id"]: r["result"] for r in answer.get("results", [])}
        for event, future, _ in part:
            future.set_result(verdicts.get(event.id, "not_found"))


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


def coalesce(batch: list, subject: Callable[[object], str] = job_of, final_types=FINAL_TYPES) -> tuple[list, list]:
    """Drop a job's (a subject's) earlier events when its final event is in the same batch.

    The final event carries everything they said (status, steps, timings), so
    the gateway does one update per job instead of four; status still only
    moves forward. Returns (events to send, superseded events).
    """
    final = {subject(event) for event, _ in batch if event.type in final_types}
    if not final:
        return batch, []
    keep = [(e, f) for e, f in batch if subject(e) not in final or e.type in final_types]
    dropped = [(e, f) for e, f in batch if subject(e) in final and e.type not in final_types]
    return keep, dropped
