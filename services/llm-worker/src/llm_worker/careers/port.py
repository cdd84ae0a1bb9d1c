"""The port every careers provider implements: one request in (a task and what it is about), one result out."""

import dataclasses
import json
from typing import Any, Protocol

from llm_worker.providers.base import Usage
from llm_worker.task_handling import InvalidOutput

__all__ = ["CareersAnswer", "CareersProvider", "CareersRequest", "InvalidOutput"]


@dataclasses.dataclass(frozen=True)
class CareersRequest:
    """One piece of careers work; `kind` names the result it must give (a careers_results.RESULT_SCHEMAS key)."""

    kind: str
    resume: dict[str, Any] | None = None
    posting: dict[str, Any] | None = None
    feedback: dict[str, Any] | None = None
    turns: tuple[dict[str, Any], ...] = ()
    requested_at: str = ""

    def fingerprint(self) -> str:
        """The request as canonical JSON: the same work gives the same text, on any replica."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True, ensure_ascii=False, default=str)


@dataclasses.dataclass(frozen=True)
class CareersAnswer:
    """A result (not yet checked against its schema) and who produced it."""

    result: Any
    usage: Usage
    provider: str
    model: str


class CareersProvider(Protocol):
    """Does careers work: `answer(request)` gives the result of `request.kind`."""

    name: str
    model: str
    billable: bool  # calls cost money (or vary): a redelivery must reuse, never repeat, them

    def answer(self, request: CareersRequest) -> CareersAnswer: ...
