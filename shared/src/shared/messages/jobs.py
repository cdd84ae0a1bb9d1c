"""Contracts of the asynchronous GPT jobs: the command to run one, its progress events and their data."""

import dataclasses
from typing import Any, ClassVar

from shared.messages.base import Message
from shared.messages.reports import Report

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
class TokenUsage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


@dataclasses.dataclass(frozen=True, kw_only=True)
class ProcessingData:
    worker: str | None = None  # which worker took the job


@dataclasses.dataclass(frozen=True, kw_only=True)
class StepData:
    """One finished step of the chain (summary, checklist), without its output."""

    step: str
    provider: str | None = None
    model: str | None = None
    usage: TokenUsage | None = None
    started_at: str | None = None
    completed_at: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class StepCompletedData(StepData):
    summary: str | None = None  # the summary step's output
    checklist: list[str] | None = None  # the checklist step's output


@dataclasses.dataclass(frozen=True, kw_only=True)
class CompletedData:
    summary: str
    checklist: list[str]
    provider: str
    model: str
    usage: TokenUsage | None = None
    steps: list[StepData] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReasonData:
    """Why a job is retried or failed."""

    reason: str
    code: str | None = None
    next_attempt: int | None = None
    delay_ms: int | None = None


# The `data` of each type of JobEvent.
JOB_EVENT_DATA = {
    "job.processing": ProcessingData,
    "job.step_completed": StepCompletedData,
    "job.retrying": ReasonData,
    "job.completed": CompletedData,
    "job.failed": ReasonData,
}


@dataclasses.dataclass(frozen=True, kw_only=True)
class JobEvent(Report):
    """Something that happened to a job in the worker, reported to the gateway by webhook (not published)."""

    TYPE: ClassVar[str] = "JobEvent"
    DATA: ClassVar[dict[str, type]] = JOB_EVENT_DATA

    id: str
    type: str
    job_id: str
    occurred_at: str
    attempt: int = 1
    data: dict[str, Any] = dataclasses.field(default_factory=dict)  # as JOB_EVENT_DATA[type] describes it
