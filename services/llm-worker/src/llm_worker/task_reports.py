"""A task delivery's events (careers, classroom), batched to the gateway; the verdict on the last one decides the ack.

Each family names its event class and webhook path (careers.reports, classroom.reports); what a report does with
the gateway's verdict is the same for all: `applied` or `stale` keeps the outcome the handler chose, `not_found`
and `invalid` (the gateway has no such task, or found the result unusable) and a refusal dead-letter the message.
"""

import hashlib
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import Any

from shared.amqp.outcomes import DeadLetter, Outcome

MAX_EVENT_ID = 128  # the gateway's limit


def event_id(task: str, task_id: str, step: int, attempt: int, kind: str) -> str:
    """Deterministic, so a re-report of the same attempt is recognisably the same event."""
    plain = f"{task}:{task_id}:{step}:{attempt}:{kind}"
    if len(plain) <= MAX_EVENT_ID:
        return plain
    return f"{task}:{hashlib.sha256(plain.encode()).hexdigest()[:40]}:{kind}"


class TaskReport:
    """Builds and submits the events of one delivery of one task; `make_event(**fields)` is the family's event."""

    def __init__(self, reporter, make_event: Callable[..., Any], task: str, task_id: str, step: int, attempt: int):
        self._reporter = reporter
        self._make_event = make_event
        self.task, self.task_id, self.step, self.attempt = task, task_id, step, attempt

    def event(self, kind: str, data: dict) -> "Future[str]":
        event = self._make_event(
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
