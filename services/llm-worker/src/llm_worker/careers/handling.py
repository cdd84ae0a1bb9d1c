"""What every careers command's handler does: decode, check, run the provider once, check the result against its
schema, report; ack once the gateway holds the outcome.

A billable provider's result is kept in the step memo (Redis) under the task, step and request, so a redelivery
reports the same result without a second model call. A result that breaks its schema is a retryable failure
(`invalid_output`): the next attempt calls the model again; the last one reports careers.failed naming the fault.
"""

import json
import logging
import re
from concurrent.futures import Future
from typing import Any, ClassVar

from llm_worker.careers.port import CareersProvider, CareersRequest, InvalidOutput
from llm_worker.careers.reports import CareersReport
from llm_worker.memo import StepMemo, step_key
from llm_worker.providers.base import ProviderError, TransientProviderError
from llm_worker.reporter import BatchReporter
from llm_worker.studio.reports import salvage_id
from shared.amqp.outcomes import Ack, DeadLetter, Delivery, Outcome, Retry
from shared.messages.base import Message, MessageError, decode
from shared.messages.careers_results import result_problems

log = logging.getLogger(__name__)
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")
MAX_REASON = 1000
MAX_PROBLEMS = 5


class CareersHandler:
    """The shared flow; each command's handler module says what its command is and what it asks for."""

    COMMAND: ClassVar[type[Message]]
    TASK: ClassVar[str]
    ID_FIELD: ClassVar[str]

    def __init__(
        self,
        provider: CareersProvider,
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

    def step(self, command: Any) -> int:
        return 0

    def problem(self, command: Any) -> str | None:
        """Why the command cannot be done (beyond its contract's own checks), or None."""
        return None

    def request(self, command: Any) -> CareersRequest:
        raise NotImplementedError

    def __call__(self, delivery: Delivery) -> "Outcome | Future[Outcome]":
        try:
            command = decode(self.COMMAND, delivery.body)
            problem = _id_problem(getattr(command, self.ID_FIELD)) or self.problem(command)
        except MessageError as exc:
            return self._poison(delivery, f"poison message: {exc}")
        if problem:
            return self._poison(delivery, f"poison message: {problem}")
        report = CareersReport(
            self._reporter, self.TASK, getattr(command, self.ID_FIELD), self.step(command), delivery.attempt
        )
        if delivery.delivery_count >= self._delivery_limit - 1:
            reason = f"the worker stopped {delivery.delivery_count} times while doing this {self.TASK}"
            return report.final("careers.failed", {"reason": reason, "code": "worker_crashed"}, DeadLetter(reason))
        report.event("careers.processing", {"worker": self._worker})
        try:
            data = self._run(report, self.request(command))
        except ProviderError as exc:
            return self._failure(report, delivery, exc)
        return report.final("careers.completed", data, Ack())

    def _run(self, report: CareersReport, request: CareersRequest) -> dict[str, Any]:
        """The completed event's data: computed once per task, step and request when the provider bills."""

        def compute() -> dict[str, Any]:
            try:
                answer = self._provider.answer(request)
            except ProviderError:
                raise
            except Exception as exc:  # a provider bug must still end in a report, not in silence
                log.exception("%s %s: the %s provider crashed", report.task, report.task_id, self._provider.name)
                raise TransientProviderError(f"{type(exc).__name__}: {exc}", code="worker_error") from exc
            problems = result_problems(request.kind, answer.result)
            if problems:
                shown = "; ".join(problems[:MAX_PROBLEMS]) + (" ..." if len(problems) > MAX_PROBLEMS else "")
                raise InvalidOutput(f"the {request.kind} result breaks its schema: {shown}")
            usage = answer.usage.to_dict()
            return {"result": answer.result, "provider": answer.provider, "model": answer.model, "usage": usage}

        if self._memo is None:
            return compute()
        key = step_key(f"careers:{report.task}:{report.task_id}", str(report.step), request.fingerprint())
        data, fresh = self._memo.once(key, compute)
        if not fresh:
            log.info(
                "%s %s: result reused from an earlier delivery (no second model call)", report.task, report.task_id
            )
        return data

    def _failure(self, report: CareersReport, delivery: Delivery, exc: ProviderError) -> "Future[Outcome]":
        reason = f"{exc.code}: {exc}"
        if exc.retryable and not delivery.is_last_attempt:
            data = {"reason": reason[:MAX_REASON], "code": exc.code, "next_attempt": delivery.attempt + 1}
            return report.final("careers.retrying", data, Retry(reason))
        if exc.retryable:
            reason = f"gave up after {delivery.attempt} attempts: {reason}"
        return report.final("careers.failed", {"reason": reason[:MAX_REASON], "code": exc.code}, DeadLetter(reason))

    def _poison(self, delivery: Delivery, reason: str) -> "Outcome | Future[Outcome]":
        """Dead-letter a message that cannot be done; tell the gateway when it names its task."""
        task_id = salvage_id(delivery.body, self.ID_FIELD)
        if task_id is None or _id_problem(task_id):
            return DeadLetter(reason)
        step = salvage_step(delivery.body)
        report = CareersReport(self._reporter, self.TASK, task_id, step, delivery.attempt)
        return report.final(
            "careers.failed", {"reason": reason[:MAX_REASON], "code": "invalid_request"}, DeadLetter(reason)
        )


def documents_problem(**documents: Any) -> str | None:
    """Why a command's résumé, posting or feedback is unusable: each must be an object, or absent (None)."""
    for name, value in documents.items():
        if value is not None and not isinstance(value, dict):
            return f"{name} must be an object"
    return None


def _id_problem(value: Any) -> str | None:
    if isinstance(value, str) and ID.match(value):
        return None
    return f"{value!r} is not a task id"


def salvage_step(body: bytes) -> int:
    """An interview step a broken message names (0 when it names none)."""
    try:
        step = json.loads(body).get("step")
    except (ValueError, AttributeError):
        return 0
    return step if isinstance(step, int) and not isinstance(step, bool) and step >= 0 else 0
