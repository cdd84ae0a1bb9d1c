"""The job handler's reports, each held to its contract (shared.messages.jobs), and the outcome each path ends in."""

from concurrent.futures import Future

import pytest

from llm_worker.handlers.run_job import RunJobHandler
from llm_worker.providers.base import PermanentProviderError, TransientProviderError
from llm_worker.providers.local import LocalProvider
from shared.amqp.outcomes import Ack, DeadLetter, Delivery, Retry
from shared.messages import JobEvent, RunJob

pytestmark = pytest.mark.unit

TEXT = "All visitors must sign in at the front desk. Wear a badge at all times. Report incidents within an hour."


class ContractReporter:
    """Checks every report against its contract, as the gateway's schemas are held to it, then accepts it."""

    def __init__(self):
        self.events: list[JobEvent] = []

    def submit(self, event: JobEvent) -> Future:
        event.check()
        self.events.append(event)
        future: Future = Future()
        future.set_result("applied")
        return future


class FailingProvider(LocalProvider):
    def __init__(self, error: Exception):
        self.error = error

    def summarize(self, text: str):
        raise self.error


def run(provider=None, attempt: int = 1, delivery_count: int = 0):
    reporter = ContractReporter()
    handler = RunJobHandler(provider or LocalProvider(), None, reporter, "llm-worker@test")
    body = RunJob(job_id="job-1", text=TEXT, requested_at="2026-12-07T00:00:00+00:00").to_json()
    headers = {"x-delivery-count": delivery_count}
    outcome = handler(Delivery(body, None, None, headers, delivery_count > 0, attempt, 3))
    return outcome.result() if isinstance(outcome, Future) else outcome, reporter.events


def test_a_job_reports_each_step_and_its_result():
    outcome, events = run()
    assert outcome == Ack()
    assert [e.type for e in events] == ["job.processing", "job.step_completed", "job.step_completed", "job.completed"]
    assert [e.data["step"] for e in events[1:3]] == ["summary", "checklist"]
    assert events[-1].data["checklist"] and [s["step"] for s in events[-1].data["steps"]] == ["summary", "checklist"]


def test_a_transient_failure_reports_a_retry():
    outcome, events = run(FailingProvider(TransientProviderError("rate limited", "rate_limited")))
    assert isinstance(outcome, Retry)
    assert events[-1].type == "job.retrying" and events[-1].data["next_attempt"] == 2


@pytest.mark.parametrize(
    ("error", "attempt"),
    [(TransientProviderError("rate limited", "rate_limited"), 3), (PermanentProviderError("bad key", "auth"), 1)],
)
def test_a_last_or_permanent_failure_reports_the_job_failed(error, attempt):
    outcome, events = run(FailingProvider(error), attempt=attempt)
    assert isinstance(outcome, DeadLetter)
    assert events[-1].type == "job.failed" and events[-1].data["code"] == error.code


def test_a_job_that_stopped_the_worker_too_often_is_failed_unrun():
    outcome, events = run(delivery_count=4)
    assert isinstance(outcome, DeadLetter)
    assert [(e.type, e.data["code"]) for e in events] == [("job.failed", "worker_crashed")]


def test_a_poison_message_is_dead_lettered_without_a_report():
    reporter = ContractReporter()
    outcome = RunJobHandler(LocalProvider(), None, reporter, "w")(Delivery(b"{", None, None, {}, False, 1, 3))
    assert isinstance(outcome, DeadLetter) and reporter.events == []
