"""A careers delivery's events, batched to POST /api/webhooks/careers; the verdict on the last one decides the ack."""

from llm_worker.reporter import BatchReporter
from llm_worker.task_reports import TaskReport, event_id
from shared.messages.careers import CareersEvent
from shared.webhooks.sender import WebhookSender

__all__ = ["CareersReport", "careers_reporter", "event_id", "subject_of"]
CAREERS_WEBHOOK_PATH = "/api/webhooks/careers"
FINAL_TYPES = frozenset({"careers.completed", "careers.failed"})


def subject_of(event: CareersEvent) -> str:
    """What an event is about: one step of one task (an interview has several)."""
    return f"{event.task}:{event.task_id}:{event.step}"


def careers_reporter(sender: WebhookSender, batch_size: int, linger_seconds: float, max_bytes: int) -> BatchReporter:
    """The batcher of careers events (a task's earlier events coalesce into its final one)."""
    return BatchReporter(
        sender, CAREERS_WEBHOOK_PATH, batch_size, linger_seconds, max_bytes, subject=subject_of, final_types=FINAL_TYPES
    )


class CareersReport(TaskReport):
    """Builds and submits the CareersEvents of one delivery of one task."""

    def __init__(self, reporter: BatchReporter, task: str, task_id: str, step: int, attempt: int):
        super().__init__(reporter, CareersEvent, task, task_id, step, attempt)
