"""The port every classroom provider implements: one request in (a help request or a recording), one result out."""

import dataclasses
import json
from typing import Any, Protocol

from llm_worker.providers.base import Usage


@dataclasses.dataclass(frozen=True)
class ClassroomRequest:
    """One analysis; `kind` names the result it must give (help_analysis or recording_analysis)."""

    kind: str
    step: dict[str, Any] | None = None
    context: dict[str, Any] = dataclasses.field(default_factory=dict)
    events: tuple[dict[str, Any], ...] = ()
    requested_at: str = ""

    def fingerprint(self) -> str:
        """The request as canonical JSON: the same work gives the same text, on any replica."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True, ensure_ascii=False, default=str)


@dataclasses.dataclass(frozen=True)
class ClassroomAnswer:
    """A result (not yet checked against its schema) and who produced it."""

    result: Any
    usage: Usage
    provider: str
    model: str


class ClassroomProvider(Protocol):
    """Does classroom analyses: `answer(request)` gives the result of `request.kind`."""

    name: str
    model: str
    billable: bool  # calls cost money (or vary): a redelivery must reuse, never repeat, them

    def answer(self, request: ClassroomRequest) -> ClassroomAnswer: ...
