"""Contracts of the asynchronous GPT jobs: the command to run one, and its progress events."""

import dataclasses
from typing import Any, ClassVar

from shared.messages.base import Message

JOB_EVENT_TYPES = (
    "job.processing",
    "job.step_completed",
    "job.retrying",
    "job.completed",
    "job.failed",
)


@dataclasses.dataclass(frozen=True, kw_only=True)
class RunJob(Message):
    """Summarise `text`, then turn the summary into a checklist."""

    TYPE: ClassVar[str] = "RunJob"
    EXCHANGE: ClassVar[str] = "jobs"
    ROUTING_KEY: ClassVar[str] = "job.run"

    job_id: str
    text: str
    requested_at: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobEvent(Message):
    """Something that happened to a job in the worker, reported to the gateway by webhook (not published)."""

    TYPE: ClassVar[str] = "JobEvent"

    id: str
    type: str
    job_id: str
    occurred_at: str
    attempt: int = 1
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
