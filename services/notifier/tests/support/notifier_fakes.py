"""Fakes at the handlers' ports: a scripted poster, a recording scheduler and reporter, in-memory ledgers."""

from concurrent.futures import Future
from datetime import datetime

from notifier.delivery.policy import AttemptResult
from notifier.ledger import BUSY, CLAIMED, DONE, SENDING
from shared.amqp.outcomes import Delivery
from shared.amqp.topology import notifier_webhook_delays
from shared.messages import NotifierReport


def delivery(message, body: bytes | None = None) -> Delivery:
    return Delivery(
        body=message.to_json() if body is None else body,
        message_id="m-1",
        message_type=message.TYPE,
        headers={},
        redelivered=False,
        attempt=1,
        max_attempts=4,
    )


class ScriptedPoster:
    """Answers each post with the next result (the last one repeats); records what it was asked."""

    def __init__(self, *results: AttemptResult):
        self.results = list(results) or [AttemptResult(200, 5)]
        self.posts: list[tuple[str, bytes, dict]] = []

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> AttemptResult:
        self.posts.append((url, body, headers))
        return self.results.pop(0) if len(self.results) > 1 else self.results[0]


class RecordingScheduler:
    def __init__(self, fail: Exception | None = None):
        self.ladder = notifier_webhook_delays()
        self.scheduled: list[tuple[object, int]] = []
        self._fail = fail

    def schedule(self, command, delay_ms: int) -> str:
        if self._fail:
            raise self._fail
        self.scheduled.append((command, delay_ms))
        return self.ladder.name(self.ladder.bucket_for(delay_ms))


class RecordingReporter:
    """Resolves every report at once, as an accepting gateway would; each is held to its contract first."""

    def __init__(self):
        self.reports: list[dict] = []

    def submit(self, report: dict) -> Future:
        NotifierReport.from_dict(report).check()
        self.reports.append(report)
        future: Future = Future()
        future.set_result("applied")
        return future


class InMemoryAttempts:
    def __init__(self):
        self.records: dict[tuple[str, int], object] = {}

    def claim(self, delivery_id: str, attempt: int):
        value = self.records.get((delivery_id, attempt))
        if value is None:
            self.records[(delivery_id, attempt)] = SENDING
            return CLAIMED, []
        return (BUSY, []) if value == SENDING else (DONE, value)

    def settle(self, delivery_id: str, attempt: int, reports: list[dict]) -> None:
        self.records[(delivery_id, attempt)] = reports

    def release(self, delivery_id: str, attempt: int) -> None:
        self.records.pop((delivery_id, attempt), None)


class InMemoryStreaks:
    def __init__(self, since: dict[str, datetime] | None = None):
        self.since = dict(since or {})

    def failed(self, endpoint_id: str, now: datetime) -> datetime:
        return self.since.setdefault(endpoint_id, now)

    def succeeded(self, endpoint_id: str) -> None:
        self.since.pop(endpoint_id, None)
