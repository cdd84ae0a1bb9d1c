"""A classroom delivery's events, batched to POST /api/webhooks/classroom; the verdict on the last one decides
the ack."""

from llm_worker.reporter import BatchReporter
from llm_worker.task_reports import TaskReport
from shared.messages.classroom import ClassroomEvent
from shared.webhooks.sender import WebhookSender

CLASSROOM_WEBHOOK_PATH = "/api/webhooks/classroom"
FINAL_TYPES = frozenset({"classroom.completed", "classroom.failed"})


def subject_of(event: ClassroomEvent) -> str:
    """What an event is about: one analysis."""
    return f"{event.task}:{event.task_id}"


def classroom_reporter(sender: WebhookSender, batch_size: int, linger_seconds: float, max_bytes: int) -> BatchReporter:
    """The batcher of classroom events (an analysis' earlier events coalesce into its final one)."""
    return BatchReporter(
        sender,
        CLASSROOM_WEBHOOK_PATH,
        batch_size,
        linger_seconds,
        max_bytes,
        subject=subject_of,
        final_types=FINAL_TYPES,
    )


def classroom_event(step: int = 0, **fields) -> ClassroomEvent:
    """A ClassroomEvent from the task flow's fields (an analysis has no steps)."""
    return ClassroomEvent(**fields)


class ClassroomReport(TaskReport):
    """Builds and submits the ClassroomEvents of one delivery of one analysis."""

    def __init__(self, reporter: BatchReporter, task: str, task_id: str, attempt: int):
        super().__init__(reporter, classroom_event, task, task_id, 0, attempt)
