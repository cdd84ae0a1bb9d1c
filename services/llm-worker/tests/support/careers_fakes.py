"""Fakes at the careers handlers' ports: a scripted provider and a reporter that answers as the gateway does."""

import threading
from concurrent.futures import Future

from llm_worker.careers.offline import OfflineCareersProvider
from llm_worker.careers.port import CareersAnswer, CareersRequest
from llm_worker.providers.base import Usage
from shared.amqp.outcomes import Delivery


class ScriptedProvider:
    """Answers from `script` (results, or exceptions to raise), then like the offline provider; counts calls."""

    name = "scripted"
    model = "scripted-1"

    def __init__(self, *script, billable: bool = True):
        self.script = list(script)
        self.billable = billable
        self.requests: list[CareersRequest] = []
        self._offline = OfflineCareersProvider()
        self._lock = threading.Lock()

    def answer(self, request: CareersRequest) -> CareersAnswer:
        with self._lock:
            self.requests.append(request)
            step = self.script.pop(0) if self.script else None
        if isinstance(step, Exception):
            raise step
        if step is None:
            return self._offline.answer(request)
        return CareersAnswer(step, Usage(10, 5), self.name, self.model)


class FakeReporter:
    """Collects submitted events, each held to its contract; answers each with `verdict` ('applied' unless told)."""

    def __init__(self, verdict: str = "applied"):
        self.events = []
        self.verdict = verdict
        self.refusal: Exception | None = None

    def submit(self, event) -> "Future[str]":
        event.check()
        self.events.append(event)
        future: Future = Future()
        if self.refusal is not None:
            future.set_exception(self.refusal)
        else:
            future.set_result(self.verdict)
        return future

    def types(self) -> list[str]:
        return [event.type for event in self.events]


def delivery(message, attempt: int = 1, max_attempts: int = 4, delivery_count: int = 0, body: bytes | None = None):
    """A Delivery of `message` as the consumer hands it to a handler."""
    headers = {"x-delivery-count": delivery_count} if delivery_count else {}
    return Delivery(
        body=message.to_json() if body is None else body,
        message_id="m-1",
        message_type=getattr(message, "TYPE", None),
        headers=headers,
        redelivered=bool(delivery_count),
        attempt=attempt,
        max_attempts=max_attempts,
    )


def settled(outcome):
    """The outcome a handler decided, waiting for it when it waits on the gateway."""
    return outcome.result(timeout=5) if isinstance(outcome, Future) else outcome
