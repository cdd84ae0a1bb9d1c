"""The retry policy: outcomes, jittered back-off, Retry-After, and the delay buckets."""

import random
from datetime import UTC, datetime

import pytest

from notifier.delivery.policy import AttemptResult, RetryPolicy, retry_after_ms
from notifier.settings import RETRY_SCHEDULE_MS
from shared.amqp.topology import WEBHOOK_DELAYS_MS, notifier_webhook_delays

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
MAX = max(WEBHOOK_DELAYS_MS)


def policy(seed: int = 1) -> RetryPolicy:
    return RetryPolicy(RETRY_SCHEDULE_MS, MAX, random.Random(seed))


@pytest.mark.parametrize(
    ("result", "outcome"),
    [
        (AttemptResult(200, 10), "delivered"),
        (AttemptResult(204, 10), "delivered"),
        (AttemptResult(410, 10), "gone"),
        (AttemptResult(None, 0, "refused: ...", refused=True), "failed"),
        (AttemptResult(500, 10), "retrying"),
        (AttemptResult(404, 10), "retrying"),
        (AttemptResult(301, 10), "retrying"),
        (AttemptResult(None, 3000, "connect timed out"), "retrying"),
    ],
)
def test_outcomes(result, outcome):
    assert policy().decide(result, attempt=1, now=NOW).outcome == outcome


def test_backoff_follows_the_schedule_shortened_by_at_most_a_quarter():
    p = policy()
    for attempt, base in enumerate(RETRY_SCHEDULE_MS, start=1):
        delay = p.backoff_ms(attempt)
        assert 0.75 * base <= delay <= base
    assert p.backoff_ms(len(RETRY_SCHEDULE_MS) + 1) is None


def test_jitter_spreads_endpoints_that_failed_together():
    delays = {policy(seed).backoff_ms(3) for seed in range(20)}
    assert len(delays) > 10


def test_the_schedule_gives_up_after_about_three_days():
    total_hours = sum(RETRY_SCHEDULE_MS) / 3_600_000
    assert 60 < total_hours < 72
    last = policy().decide(AttemptResult(500, 1), attempt=len(RETRY_SCHEDULE_MS) + 1, now=NOW)
    assert last.outcome == "failed" and last.delay_ms is None


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_a_floor_on_429_and_503(status):
    decision = policy().decide(AttemptResult(status, 1, retry_after="600"), attempt=1, now=NOW)
    assert decision.outcome == "retrying" and decision.delay_ms == 600_000


def test_retry_after_is_ignored_on_other_statuses_and_capped_at_the_longest_bucket():
    assert policy().decide(AttemptResult(500, 1, retry_after="600"), attempt=1, now=NOW).delay_ms <= 5000
    assert policy().decide(AttemptResult(429, 1, retry_after="999999"), attempt=1, now=NOW).delay_ms == MAX


def test_retry_after_as_seconds_or_http_date():
    assert retry_after_ms("120") == 120_000
    assert retry_after_ms("Fri, 02 Jan 2026 03:06:05 GMT", NOW) == 120_000
    assert retry_after_ms("Fri, 02 Jan 2026 03:00:00 GMT", NOW) == 0
    assert retry_after_ms("soon") is None and retry_after_ms(None) is None


def test_the_bucket_is_the_one_at_or_above_the_delay():
    ladder = notifier_webhook_delays()
    assert ladder.bucket_for(5_000) == 5_000
    assert ladder.bucket_for(5_001) == 30_000
    assert ladder.bucket_for(90_000) == 120_000
    assert ladder.bucket_for(10 * MAX) == MAX
    assert ladder.name(120_000) == "notifier.webhooks.delay.2m"
    args = dict(ladder.queues())["notifier.webhooks.delay.6h"]
    assert args == {
        "x-queue-type": "classic",
        "x-message-ttl": 21_600_000,
        "x-dead-letter-exchange": "events",
        "x-dead-letter-routing-key": "webhook.deliver",
    }
