"""A careers delivery's events, batched to POST /api/webhooks/careers; the verdict on the last one decides the ack."""

import hashlib
from concurrent.futures import Future
from datetime import UTC, datetime

from llm_worker.reporter import BatchReporter
from shared.amqp.outcomes import DeadLetter, Outcome
from shared.messages.careers import CareersEvent
from shared.webhooks.sender import WebhookSender

CAREERS_WEBHOOK_PATH = "/api/webhooks/careers"
FINAL_TYPES = frozenset({"careers.completed", "careers.failed"})
MAX_EVENT_ID = 128  # the gateway's limit


def subject_of(event: CareersEvent) -> str:
    """What an event is about: one step of one task (an interview has several)."""
    return f"{event.task}:{event.task_id}:{event.step}"


def careers_reporter(sender: WebhookSender, batch_size: int, linger_seconds: float, max_bytes: int) -> BatchReporter:
    """The batcher of careers events (a task's earlier events coalesce into its final one)."""
    return BatchReporter(
        sender, CAREERS_WEBHOOK_PATH, batch_size, linger_seconds, max_bytes, subject=subject_of, final_types=FINAL_TYPES
    )


def event_id(task: str, task_id: str, step: int, attempt: int, kind: str) -> str:
    """Deterministic, so a re-report of the same attempt is recognisably the same event."""
    plain = f"{task}:{task_id}:{step}:{attempt}:{kind}"
    if len(plain) <= MAX_EVENT_ID:
        return plain
    return f"{task}:{hashlib.sha256(plain.encode()).hexdigest()[:40]}:{kind}"


class CareersReport:
    """Builds and submits the events of one delivery of one task."""

    def __init__(self, reporter: BatchReporter, task: str, task_id: str, step: int, attempt: int):
        self._reporter = reporter
        self.task, self.task_id, self.step, self.attempt = task, task_id, step, attempt

    def event(self, kind: str, data: dict) -> "Future[str]":
        event = CareersEvent(
            id=event_id(self.task, self.task_id, self.step, self.attempt, kind),
            type=kind,
            task=self.task,
            task_id=self.task_id,
            step=self.step,
            occurred_at=datetime.now(UTC).isoformat(),
            attempt=self.attempt,
            data=data,
        )
        return self._reporter.submit(event)

    def final(self, kind: str, data: dict, outcome: Outcome) -> "Future[Outcome]":
        """Report `kind`; `outcome` stands once the gateway accepted it (what it cannot apply is dead-lettered)."""
        result: Future = Future()

        def settle(accepted: Future) -> None:
            try:
                verdict = accepted.result()
            except Exception as exc:  # noqa: BLE001 - the gateway refused the report for good
                result.set_result(DeadLetter(f"gateway refused the report: {exc}"))
                return
            if verdict == "not_found":
                result.set_result(DeadLetter(f"the gateway has no {self.task} {self.task_id}"))
            elif verdict == "invalid":
                result.set_result(DeadLetter(f"the gateway found the {self.task} result unusable"))
            else:
                result.set_result(outcome)

        self.event(kind, data).add_done_callback(settle)
        return result
