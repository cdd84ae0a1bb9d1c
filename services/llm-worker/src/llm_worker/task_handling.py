"""What every AI task's handler does (careers, classroom): decode, check, run the provider once, check the result
against its schema, report; ack once the gateway holds the outcome.

A billable provider's result is kept in the step memo (Redis) under the task, step and request, so a redelivery
reports the same result without a second model call. A result that breaks its schema is a retryable failure
(`invalid_output`): the next attempt calls the model again; the last one reports `<family>.failed` naming the fault.
A family (careers.handling, classroom.handling) says its event prefix, its result schemas and its report.
"""

import logging
import re
from concurrent.futures import Future
from typing import Any, ClassVar

from llm_worker.memo import StepMemo, step_key
from llm_worker.providers.base import ProviderError, TransientProviderError
from llm_worker.studio.reports import salvage_id
from llm_worker.task_reports import TaskReport
from shared.amqp.outcomes import Ack, DeadLetter, Delivery, Outcome, Retry
from shared.messages.base import Message, MessageError, decode
from shared.messages.schema_kit import ResultSchemas

log = logging.getLogger(__name__)
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")
MAX_REASON = 1000
MAX_PROBLEMS = 5


class InvalidOutput(TransientProviderError):
    """The provider's result is not what the task's schema asks for; another call may do better."""

    def __init__(self, message: str):
        super().__init__(message, code="invalid_output")


class TaskHandler:
    """The shared flow; a family's base says FAMILY, RESULTS and report(), each command's module the rest."""

    COMMAND: ClassVar[type[Message]]
    TASK: ClassVar[str]
    ID_FIELD: ClassVar[str]
    FAMILY: ClassVar[str]  # the event types' prefix: "careers" gives careers.processing, careers.completed, ...
    RESULTS: ClassVar[ResultSchemas]

    def __init__(self, provider, memo: StepMemo | None, reporter, worker_name: str, delivery_limit: int = 5):
        self._provider = provider
        self._memo = memo
        self._reporter = reporter
        self._worker = worker_name
        self._delivery_limit = delivery_limit

    def report(self, task_id: str, step: int, attempt: int) -> TaskReport:
        raise NotImplementedError

    def step(self, command: Any) -> int:
        return 0

    def salvaged_step(self, body: bytes) -> int:
        """The step a broken message names (0 for a task without steps)."""
        return 0

    def problem(self, command: Any) -> str | None:
        """Why the command cannot be done (beyond its contract's own checks), or None."""
        return None

    def request(self, command: Any):
        """What the provider is asked: an object with `kind` (a RESULTS name) and `fingerprint()`."""
        raise NotImplementedError

    def __call__(self, delivery: Delivery) -> "Outcome | Future[Outcome]":
        try:
            command = decode(self.COMMAND, delivery.body)
            problem = _id_problem(getattr(command, self.ID_FIELD)) or self.problem(command)
        except MessageError as exc:
            return self._poison(delivery, f"poison message: {exc}")
        if problem:
            return self._poison(delivery, f"poison message: {problem}")
        report = self.report(getattr(command, self.ID_FIELD), self.step(command), delivery.attempt)
        if delivery.delivery_count >= self._delivery_limit - 1:
            reason = f"the worker stopped {delivery.delivery_count} times while doing this {self.TASK}"
            return report.final(self._type("failed"), {"reason": reason, "code": "worker_crashed"}, DeadLetter(reason))
        report.event(self._type("processing"), {"worker": self._worker})
        try:
            data = self._run(report, self.request(command))
        except ProviderError as exc:
            return self._failure(report, delivery, exc)
        return report.final(self._type("completed"), data, Ack())

    def _type(self, kind: str) -> str:
        return f"{self.FAMILY}.{kind}"

    def _run(self, report: TaskReport, request) -> dict[str, Any]:
        """The completed event's data: computed once per task, step and request when the provider bills."""

        def compute() -> dict[str, Any]:
            try:
                answer = self._provider.answer(request)
            except ProviderError:
                raise
            except Exception as exc:  # a provider bug must still end in a report, not in silence
                log.exception("%s %s: the %s provider crashed", report.task, report.task_id, self._provider.name)
                raise TransientProviderError(f"{type(exc).__name__}: {exc}", code="worker_error") from exc
            problems = self.RESULTS.problems(request.kind, answer.result)
            if problems:
                shown = "; ".join(problems[:MAX_PROBLEMS]) + (" ..." if len(problems) > MAX_PROBLEMS else "")
                raise InvalidOutput(f"the {request.kind} result breaks its schema: {shown}")
            usage = answer.usage.to_dict()
            return {"result": answer.result, "provider": answer.provider, "model": answer.model, "usage": usage}

        if self._memo is None:
            return compute()
        subject = f"{self.FAMILY}:{report.task}:{report.task_id}"
        data, fresh = self._memo.once(step_key(subject, str(report.step), request.fingerprint()), compute)
        if not fresh:
            log.info(
                "%s %s: result reused from an earlier delivery (no second model call)", report.task, report.task_id
            )
        return data

    def _failure(self, report: TaskReport, delivery: Delivery, exc: ProviderError) -> "Future[Outcome]":
        reason = f"{exc.code}: {exc}"
        if exc.retryable and not delivery.is_last_attempt:
            data = {"reason": reason[:MAX_REASON], "code": exc.code, "next_attempt": delivery.attempt + 1}
            return report.final(self._type("retrying"), data, Retry(reason))
        if exc.retryable:
            reason = f"gave up after {delivery.attempt} attempts: {reason}"
        data = {"reason": reason[:MAX_REASON], "code": exc.code}
        return report.final(self._type("failed"), data, DeadLetter(reason))

    def _poison(self, delivery: Delivery, reason: str) -> "Outcome | Future[Outcome]":
        """Dead-letter a message that cannot be done; tell the gateway when it names its task."""
        task_id = salvage_id(delivery.body, self.ID_FIELD)
        if task_id is None or _id_problem(task_id):
            return DeadLetter(reason)
        report = self.report(task_id, self.salvaged_step(delivery.body), delivery.attempt)
        data = {"reason": reason[:MAX_REASON], "code": "invalid_request"}
        return report.final(self._type("failed"), data, DeadLetter(reason))


def _id_problem(value: Any) -> str | None:
    if isinstance(value, str) and ID.match(value):
        return None
    return f"{value!r} is not a task id"
