"""The report batcher: finished jobs coalesce, and a batch too large for one body leaves as several webhooks."""

import json
from concurrent.futures import Future

import pytest

from llm_worker.reporter import BatchReporter
from shared.messages.jobs import JobEvent
from shared.webhooks.sender import WebhookRejected

pytestmark = pytest.mark.unit


class RecordingSender:
    """Answers every webhook as the gateway does ('applied' per event), or refuses bodies over `refuse_over`."""

    def __init__(self, refuse_over: int | None = None):
        self.bodies: list[bytes] = []
        self.refuse_over = refuse_over

    def post(self, path: str, body: bytes) -> dict:
        self.bodies.append(body)
        if self.refuse_over is not None and len(body) > self.refuse_over:
            raise WebhookRejected(413, "too large")
        events = json.loads(body)["events"]
        return {"results": [{"id": e["id"], "job_id": e["job_id"], "result": "applied"} for e in events]}


def events(jobs: int, summary_bytes: int, prefix: str = "job") -> list[JobEvent]:
    out = []
    for n in range(jobs):
        job, at = f"{prefix}-{n}", "2026-12-05T00:00:00Z"
        data = {"summary": "s" * summary_bytes, "checklist": ["x"], "provider": "local", "model": "m"}
        out.append(JobEvent(id=f"{job}:p", type="job.processing", job_id=job, occurred_at=at))
        out.append(JobEvent(id=f"{job}:c", type="job.completed", job_id=job, occurred_at=at, data=data))
    return out


def send(reporter: BatchReporter, batch: list[JobEvent]) -> list:
    pairs = [(event, Future()) for event in batch]
    reporter._send(pairs)
    return [future for _, future in pairs]


def test_a_batch_over_the_size_limit_leaves_as_several_webhooks_each_under_it():
    sender = RecordingSender(refuse_over=64 * 1024)
    reporter = BatchReporter(sender, "/api/webhooks/jobs", max_batch=1000, max_bytes=64 * 1024)
    futures = send(reporter, events(jobs=40, summary_bytes=5_000))  # ~200 KB of final reports
    assert len(sender.bodies) >= 4 and all(len(body) <= 64 * 1024 for body in sender.bodies)
    sent = [e["id"] for body in sender.bodies for e in json.loads(body)["events"]]
    assert sent == [f"job-{n}:c" for n in range(40)], "every final report once, in order; the earlier ones coalesced"
    assert [f.result() for f in futures] == ["superseded", "applied"] * 40


def test_a_small_batch_is_one_webhook():
    sender = RecordingSender()
    reporter = BatchReporter(sender, "/api/webhooks/jobs", max_batch=1000)
    send(reporter, events(jobs=40, summary_bytes=100))
    assert len(sender.bodies) == 1


def test_a_refused_part_fails_its_own_jobs_only():
    sender = RecordingSender(refuse_over=20_000)
    reporter = BatchReporter(sender, "/api/webhooks/jobs", max_batch=1000, max_bytes=20_000)
    batch = events(jobs=2, summary_bytes=100) + events(jobs=1, summary_bytes=30_000, prefix="huge")
    futures = send(reporter, batch)
    assert len(sender.bodies) == 2  # the small jobs, then the huge one alone (refused)
    assert [f.result() for f in futures[:4]] == ["superseded", "applied"] * 2
    assert all(isinstance(f.exception(), WebhookRejected) for f in futures[4:]), "its superseded event fails too"


class RefusingSender(RecordingSender):
    """Refuses (422) any body that holds an event of job `bad-0`, as a gateway refuses a batch with one bad event."""

    def post(self, path: str, body: bytes) -> dict:
        if b'"job_id": "bad-0"' in body:
            self.bodies.append(body)
            raise WebhookRejected(422, "one event does not validate")
        return super().post(path, body)


def test_one_event_the_gateway_refuses_does_not_take_the_rest_of_its_batch_down():
    sender = RefusingSender()
    reporter = BatchReporter(sender, "/api/webhooks/jobs", max_batch=1000)
    futures = send(reporter, [*events(jobs=2, summary_bytes=10), *events(jobs=1, summary_bytes=10, prefix="bad")])
    assert [f.result() for f in futures[:4]] == ["superseded", "applied"] * 2
    assert all(isinstance(f.exception(), WebhookRejected) for f in futures[4:]), "its superseded event fails too"
    assert len(sender.bodies) == 4, "the batch, then each of its three events alone"
