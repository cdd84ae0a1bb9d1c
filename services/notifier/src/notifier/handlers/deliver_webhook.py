"""DeliverWebhook on `notifier.webhooks`: one signed attempt, its report, and the next attempt scheduled.

Each (delivery, attempt) is claimed in Redis before the POST and settled with its
reports after the next attempt was confirmed by the broker, so a copy redelivered
after a crash re-reports instead of posting again and scheduling a second
next attempt. The message is acked once the gateway has the reports.
"""

import dataclasses
import json
import logging
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime, timedelta

from notifier.delivery.http import WebhookPoster
from notifier.delivery.policy import FAILED, GONE, RETRYING, AttemptResult, Decision, RetryPolicy
from notifier.delivery.scheduler import DelayScheduler
from notifier.ledger import BUSY, DONE, AttemptLedger, FailureStreaks, utcnow
from notifier.reporter import ReportBatcher
from shared.amqp.outcomes import Ack, DeadLetter, Delivery, Outcome, Retry
from shared.messages import DeliverWebhook, NotifierReport
from shared.messages.base import MessageError, decode
from shared.webhooks import WebhookSigner
from shared.webhooks.sender import WebhookRejected

log = logging.getLogger(__name__)


def webhook_id(delivery_id: str) -> str:
    """The `webhook-id` of every attempt of one delivery."""
    return "msg_" + delivery_id.replace("-", "")


class DeliverWebhookHandler:
    """Attempt, decide, schedule, report."""

    def __init__(
        self,
        poster: WebhookPoster,
        policy: RetryPolicy,
        scheduler: DelayScheduler,
        ledger: AttemptLedger,
        streaks: FailureStreaks,
        reporter: ReportBatcher,
        disable_after: timedelta,
        clock: Callable[[], datetime] = utcnow,
    ):
        self._poster = poster
        self._policy = policy
        self._scheduler = scheduler
        self._ledger = ledger
        self._streaks = streaks
        self._reporter = reporter
        self._disable_after = disable_after
        self._clock = clock

    def __call__(self, delivery: Delivery) -> "Outcome | Future[Outcome]":
        try:
            command = decode(DeliverWebhook, delivery.body)
        except MessageError as exc:
            return DeadLetter(str(exc))
        state, reports = self._ledger.claim(command.delivery_id, command.attempt)
        if state == BUSY:  # another copy is making this attempt (or died making it): look again later
            self._scheduler.schedule(command, min(self._scheduler.ladder.delays_ms))
            return Ack()
        if state == DONE:
            log.info("attempt %d of %s was made before; reporting it again", command.attempt, command.delivery_id)
            return self._report(reports)
        try:
            reports = self._attempt(command)
        except Exception:
            self._ledger.release(command.delivery_id, command.attempt)
            raise
        self._ledger.settle(command.delivery_id, command.attempt, reports)
        return self._report(reports)

    def _attempt(self, command: DeliverWebhook) -> list[dict]:
        started = self._clock()
        result = self._post(command)
        decision = self._policy.decide(result, command.attempt, started)
        disabled = "the endpoint answered 410 Gone" if decision.outcome == GONE else None
        if result.ok:
            self._streaks.succeeded(command.endpoint_id)
        else:
            since = self._streaks.failed(command.endpoint_id, started)
            if decision.outcome == RETRYING and started - since >= self._disable_after:
                decision = Decision(FAILED)
                disabled = f"every delivery failed since {since.isoformat()}; last error: {result.error}"
        if decision.outcome == RETRYING:
            following = dataclasses.replace(
                command, attempt=command.attempt + 1, first_attempt_at=command.first_attempt_at or started.isoformat()
            )
            bucket = self._scheduler.schedule(following, decision.delay_ms)
            log.info(
                "delivery %s attempt %d in %d ms (%s)",
                command.delivery_id,
                following.attempt,
                decision.delay_ms,
                bucket,
            )
        reports = [attempted(command, result, decision, started)]
        if disabled:
            reports.append(endpoint_disabled(command, disabled, started))
        return reports

    def _post(self, command: DeliverWebhook) -> AttemptResult:
        body = json.dumps(command.payload, ensure_ascii=False, separators=(",", ":")).encode()
        try:
            headers = WebhookSigner(command.secret).headers(body, webhook_id(command.delivery_id))
        except ValueError as exc:
            return AttemptResult(None, 0, f"refused: {exc}", refused=True)
        return self._poster.post(command.url, body, headers)

    def _report(self, reports: list[dict]) -> "Future[Outcome]":
        """A Future that becomes Ack once the gateway has every report (Retry if we are stopping first)."""
        outcome: Future = Future()
        pending = [self._reporter.submit(report) for report in reports]
        remaining = [len(pending)]

        def done(future: Future) -> None:
            exc = future.exception()
            if isinstance(exc, WebhookRejected) and exc.status == 0:
                if not outcome.done():
                    outcome.set_result(Retry("stopped before the gateway had the report"))
                return
            remaining[0] -= 1
            if remaining[0] == 0 and not outcome.done():
                outcome.set_result(Ack())

        for future in pending:
            future.add_done_callback(done)
        return outcome


def attempted(command: DeliverWebhook, result: AttemptResult, decision: Decision, at: datetime) -> dict:
    data = {
        "delivery_id": command.delivery_id,
        "event_id": command.event_id,
        "event_type": command.event_type,
        "attempt": command.attempt,
        "status_code": result.status_code,
        "latency_ms": result.latency_ms,
        "error": result.error,
        "outcome": decision.outcome,
    }
    if decision.delay_ms is not None:
        data["next_attempt_in_ms"] = decision.delay_ms
        data["next_attempt_at"] = (at + timedelta(milliseconds=decision.delay_ms)).isoformat()
    report = NotifierReport(
        id=f"{command.delivery_id}:{command.attempt}",
        type="webhook.attempted",
        endpoint_id=command.endpoint_id,
        occurred_at=at.isoformat(),
        data=data,
    )
    return report.to_dict()


def endpoint_disabled(command: DeliverWebhook, reason: str, at: datetime) -> dict:
    report = NotifierReport(
        id=f"{command.endpoint_id}:disabled:{command.delivery_id}:{command.attempt}",
        type="endpoint.disabled",
        endpoint_id=command.endpoint_id,
        occurred_at=at.isoformat(),
        data={"reason": reason[:500]},
    )
    return report.to_dict()
