"""Handles RunJob: run the chain, report each step, ack once the gateway holds the final result."""

import logging
from concurrent.futures import Future
from datetime import UTC, datetime

from llm_worker.chain import StepRun, run_checklist, run_summary, total_usage
from llm_worker.memo import StepMemo
from llm_worker.providers.base import LLMProvider, ProviderError
from llm_worker.reporter import BatchReporter
from shared.amqp.outcomes import Ack, DeadLetter, Delivery, Outcome, Retry
from shared.messages import JobEvent, RunJob
from shared.messages.base import MessageError, decode

log = logging.getLogger(__name__)


class RunJobHandler:
    """The chain for one job message; returns a Future of the outcome when it waits for the gateway."""

    def __init__(
        self,
        provider: LLMProvider,
        memo: StepMemo | None,
        reporter: BatchReporter,
        worker_name: str,
        delivery_limit: int = 5,
    ):
        self._provider = provider
        self._memo = memo
        self._reporter = reporter
        self._worker = worker_name
        self._delivery_limit = delivery_limit

    def __call__(self, delivery: Delivery) -> "Outcome | Future[Outcome]":
        try:
            command = decode(RunJob, delivery.body)
        except MessageError as exc:
            return DeadLetter(f"poison message: {exc}")
        report = _Reporter(self._reporter, command.job_id, delivery.attempt)
        if delivery.delivery_count >= self._delivery_limit - 1:
            reason = f"the worker stopped {delivery.delivery_count} times while running this job"
            return report.final("job.failed", {"reason": reason, "code": "worker_crashed"}, DeadLetter(reason))
        report.event("job.processing", {"worker": self._worker})
        try:
            summary, fresh = run_summary(self._provider, self._memo, command.job_id, command.text)
            _note_reuse(command.job_id, summary, fresh)
            report.step(summary)
            summary_text = summary.output["summary"]
            checklist, fresh = run_checklist(self._provider, self._memo, command.job_id, summary_text, command.text)
            _note_reuse(command.job_id, checklist, fresh)
            report.step(checklist)
        except ProviderError as exc:
            return self._failure(report, delivery, exc)
        data = {
            "summary": summary_text,
            "checklist": checklist.output["checklist"],
            "provider": checklist.provider,
            "model": checklist.model,
            "usage": total_usage(summary, checklist),
            "steps": [step_data(summary), step_data(checklist)],
        }
        return report.final("job.completed", data, Ack())

    def _failure(self, report: "_Reporter", delivery: Delivery, exc: ProviderError) -> "Future[Outcome]":
        reason = f"{exc.code}: {exc}"
        if exc.retryable and not delivery.is_last_attempt:
            data = {"reason": reason, "code": exc.code, "next_attempt": delivery.attempt + 1}
            return report.final("job.retrying", data, Retry(reason))
        if exc.retryable:
            reason = f"gave up after {delivery.attempt} attempts: {reason}"
        return report.final("job.failed", {"reason": reason, "code": exc.code}, DeadLetter(reason))


def _note_reuse(job_id: str, run: StepRun, fresh: bool) -> None:
    if not fresh:
        log.info("job %s: %s step reused from an earlier delivery (no second LLM call)", job_id, run.name)


def step_data(run: StepRun) -> dict:
    """A step as the gateway records it (without its output)."""
    return {
        "step": run.name,
        "provider": run.provider,
        "model": run.model,
        "usage": run.usage,
        "started_at": run.started_at,
        "completed_at": run.completed_at,
    }


class _Reporter:
    """Builds the events of one delivery; ids are deterministic so a re-report is recognisably the same."""

    def __init__(self, reporter: BatchReporter, job_id: str, attempt: int):
        self._reporter = reporter
        self._job_id = job_id
        self._attempt = attempt

    def event(self, kind: str, data: dict, suffix: str = "") -> "Future[str]":
        event = JobEvent(
            id=f"{self._job_id}:{self._attempt}:{kind}{suffix}",
            type=kind,
            job_id=self._job_id,
            occurred_at=datetime.now(UTC).isoformat(),
            attempt=self._attempt,
            data=data,
        )
        return self._reporter.submit(event)

    def step(self, run: StepRun) -> None:
        self.event("job.step_completed", {**step_data(run), **run.output}, suffix=f":{run.name}")

    def final(self, kind: str, data: dict, outcome: Outcome) -> "Future[Outcome]":
        """Report `kind`; the outcome stands once the gateway accepted it (an unknown job is dead-lettered)."""
        result: Future = Future()

        def settle(accepted: Future) -> None:
            try:
                verdict = accepted.result()
            except Exception as exc:  # noqa: BLE001 - the gateway refused the report for good
                result.set_result(DeadLetter(f"gateway refused the report: {exc}"))
                return
            if verdict == "not_found":
                result.set_result(DeadLetter(f"the gateway has no job {self._job_id}"))
            else:
                result.set_result(outcome)

        self.event(kind, data).add_done_callback(settle)
        return result
