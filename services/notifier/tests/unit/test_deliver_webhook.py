"""The DeliverWebhook handler with fakes at its ports: claim, attempt, schedule, settle, report."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from notifier_fakes import (
    InMemoryAttempts,
    InMemoryStreaks,
    RecordingReporter,
    RecordingScheduler,
    ScriptedPoster,
    delivery,
)

from notifier.delivery.policy import AttemptResult, RetryPolicy
from notifier.delivery.scheduler import ScheduleFailed
from notifier.handlers.deliver_webhook import DeliverWebhookHandler, webhook_id
from shared.amqp.outcomes import Ack, DeadLetter
from shared.messages import DeliverWebhook
from shared.webhooks import WebhookVerifier, generate_secret

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def command(**overrides) -> DeliverWebhook:
    fields = {
        "delivery_id": "8f14e45f-ceea-467f-a0e6-3f2b5b8a6d3c",
        "endpoint_id": "e1",
        "url": "https://hooks.example.com/in",
        "secret": generate_secret(),
        "event_id": "ev-1",
        "event_type": "payment.paid",
        "payload": {"id": "ev-1", "type": "payment.paid", "data": {"amount": 15000}},
    }
    return DeliverWebhook(**(fields | overrides))


class Harness:
    def __init__(self, *results: AttemptResult, streaks=None, scheduler=None):
        self.poster = ScriptedPoster(*results)
        self.scheduler = scheduler or RecordingScheduler()
        self.ledger = InMemoryAttempts()
        self.streaks = streaks or InMemoryStreaks()
        self.reporter = RecordingReporter()
        self.handler = DeliverWebhookHandler(
            self.poster,
            RetryPolicy([5_000, 30_000], 21_600_000, random.Random(3)),
            self.scheduler,
            self.ledger,
            self.streaks,
            self.reporter,
            timedelta(days=5),
            clock=lambda: NOW,
        )

    def run(self, message: DeliverWebhook):
        result = self.handler(delivery(message))
        return result.result(timeout=1) if hasattr(result, "result") else result


def test_the_body_is_the_payload_signed_with_the_endpoints_secret():
    h = Harness()
    message = command()
    assert h.run(message) == Ack()
    [(url, body, headers)] = h.poster.posts
    assert url == message.url and body == b'{"id":"ev-1","type":"payment.paid","data":{"amount":15000}}'
    assert WebhookVerifier([message.secret]).verify(body, headers) == "msg_8f14e45fceea467fa0e63f2b5b8a6d3c"
    assert webhook_id(message.delivery_id) == headers["webhook-id"]
    [report] = h.reporter.reports
    assert report["id"] == f"{message.delivery_id}:1" and report["data"]["outcome"] == "delivered"


def test_a_failure_schedules_the_next_attempt_then_settles():
    h = Harness(AttemptResult(500, 12, "HTTP 500"))
    message = command()
    assert h.run(message) == Ack()
    [(following, delay)] = h.scheduler.scheduled
    assert following.attempt == 2 and following.first_attempt_at == NOW.isoformat()
    assert following.delivery_id == message.delivery_id and 3_750 <= delay <= 5_000
    assert h.ledger.records[(message.delivery_id, 1)] == h.reporter.reports
    assert h.reporter.reports[0]["data"]["next_attempt_in_ms"] == delay


def test_a_copy_of_a_settled_attempt_reports_again_without_posting():
    h = Harness(AttemptResult(500, 12, "HTTP 500"))
    message = command()
    h.run(message)
    assert h.run(message) == Ack()
    assert len(h.poster.posts) == 1 and len(h.scheduler.scheduled) == 1
    assert [r["id"] for r in h.reporter.reports] == [f"{message.delivery_id}:1"] * 2


def test_a_copy_of_an_attempt_in_flight_looks_again_later_through_the_broker():
    h = Harness()
    message = command()
    h.ledger.claim(message.delivery_id, 1)  # someone else is making attempt 1
    assert h.run(message) == Ack()
    assert h.poster.posts == [] and h.scheduler.scheduled == [(message, 5_000)]


def test_when_the_next_attempt_cannot_be_scheduled_the_claim_is_released_and_the_message_kept():
    h = Harness(AttemptResult(503, 1, "HTTP 503"), scheduler=RecordingScheduler(fail=ScheduleFailed("down")))
    message = command()
    with pytest.raises(ScheduleFailed):
        h.run(message)
    assert h.ledger.records == {} and h.reporter.reports == []


def test_gone_reports_the_endpoint_disabled():
    h = Harness(AttemptResult(410, 3, "HTTP 410"))
    h.run(command())
    attempted, disabled = h.reporter.reports
    assert attempted["data"]["outcome"] == "gone"
    assert disabled["type"] == "endpoint.disabled" and disabled["endpoint_id"] == "e1"
    assert h.scheduler.scheduled == []


def test_failing_for_days_disables_instead_of_retrying():
    h = Harness(AttemptResult(500, 3, "HTTP 500"), streaks=InMemoryStreaks({"e1": NOW - timedelta(days=6)}))
    h.run(command())
    attempted, disabled = h.reporter.reports
    assert attempted["data"]["outcome"] == "failed"
    assert "since 2025-12-27" in disabled["data"]["reason"] and "HTTP 500" in disabled["data"]["reason"]
    assert h.scheduler.scheduled == []


def test_a_success_clears_the_streak():
    h = Harness(streaks=InMemoryStreaks({"e1": NOW - timedelta(days=2)}))
    h.run(command())
    assert h.streaks.since == {}


def test_a_bad_secret_is_a_refused_attempt_not_a_crash():
    h = Harness()
    h.run(command(secret="not-a-secret"))
    assert h.poster.posts == []
    assert h.reporter.reports[0]["data"]["outcome"] == "failed"


def test_a_malformed_message_is_dead_lettered():
    h = Harness()
    outcome = h.handler(delivery(command(), body=b'{"version": 1}'))
    assert isinstance(outcome, DeadLetter)
