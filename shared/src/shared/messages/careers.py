"""Contracts of the careers AI work: the commands the gateway sends the llm-worker, and the reports it gets back.

Every command goes out on the `jobs` exchange (routing key `careers.<task>`) to the `llm-worker.careers` queue,
and carries everything the worker needs (the résumé and posting as they were when asked), so the worker never
reads the gateway's store. The worker reports with CareersEvent webhooks (POST /api/webhooks/careers), one
vocabulary for every task: processing, retrying, completed (with the task's result), failed. A completed result
must match the task's JSON Schema (shared.messages.careers_results): the worker checks it before reporting
(model output that does not match is retried, then failed with the reason), and the gateway checks it again.

A résumé in a command is the API's résumé body (title, resume_type, personal fields, self_introduction and the
six section lists, each item as the API shows it, without ids); a posting is {title, company, qualification,
prefer, end_date, url}.
"""

import dataclasses
from typing import Any, ClassVar

from shared.messages.base import Message
from shared.messages.jobs import ProcessingData, ReasonData, TokenUsage
from shared.messages.reports import Report

CAREERS_TASKS = ("feedback", "rewrite", "interview", "study_guide")
INTERVIEW_ACTIONS = ("open", "answer", "finish")


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReviewResume(Message):
    """Give feedback on `resume`, in general or (with `posting`) against one job posting."""

    TYPE: ClassVar[str] = "ReviewResume"
    EXCHANGE: ClassVar[str] = "jobs"
    ROUTING_KEY: ClassVar[str] = "careers.feedback"

    feedback_id: str
    resume: dict[str, Any]
    posting: dict[str, Any] | None = None
    requested_at: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class RewriteResume(Message):
    """Write an improved résumé from `resume` and the feedback on it (`feedback`: parent_content, contents)."""

    TYPE: ClassVar[str] = "RewriteResume"
    EXCHANGE: ClassVar[str] = "jobs"
    ROUTING_KEY: ClassVar[str] = "careers.rewrite"

    rewrite_id: str
    resume: dict[str, Any]
    feedback: dict[str, Any]  # {matching_rate, feedback_contents: [{division, result}]}
    posting: dict[str, Any] | None = None
    requested_at: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class RunInterviewStep(Message):
    """One step of a mock interview: `open` (the first question), `answer` (evaluate it, ask the next), `finish`.

    `turns` is the conversation so far, in order ([{question_id, competence, question, answer, evaluation,
    score}]); for `answer`, the last turn holds the answer to evaluate. `step` numbers the interview's steps so a
    report for an older step is recognised as stale.
    """

    TYPE: ClassVar[str] = "RunInterviewStep"
    EXCHANGE: ClassVar[str] = "jobs"
    ROUTING_KEY: ClassVar[str] = "careers.interview"

    interview_id: str
    step: int
    action: str  # one of INTERVIEW_ACTIONS
    resume: dict[str, Any]
    posting: dict[str, Any] | None = None
    turns: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    requested_at: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class BuildStudyGuide(Message):
    """Study items for the gaps between a résumé and what a posting (or a feedback) asks for."""

    TYPE: ClassVar[str] = "BuildStudyGuide"
    EXCHANGE: ClassVar[str] = "jobs"
    ROUTING_KEY: ClassVar[str] = "careers.study_guide"

    guide_id: str
    resume: dict[str, Any] | None = None
    posting: dict[str, Any] | None = None
    feedback: dict[str, Any] | None = None  # {matching_rate, feedback_contents: [{division, result}]}
    requested_at: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class ResultData:
    """A finished task: its result (as CAREERS_RESULT_SCHEMAS[task] describes it) and who produced it."""

    result: dict[str, Any]
    provider: str
    model: str
    usage: TokenUsage | None = None


CAREERS_EVENT_DATA = {
    "careers.processing": ProcessingData,
    "careers.retrying": ReasonData,
    "careers.completed": ResultData,
    "careers.failed": ReasonData,
}


@dataclasses.dataclass(frozen=True, kw_only=True)
class CareersEvent(Report):
    """Something that happened to a careers task in the worker, reported to the gateway by webhook."""

    TYPE: ClassVar[str] = "CareersEvent"
    DATA: ClassVar[dict[str, type]] = CAREERS_EVENT_DATA

    id: str
    type: str
    task: str  # one of CAREERS_TASKS
    task_id: str  # the feedback's, rewrite's, interview's or study guide's id
    step: int = 0  # an interview's step; 0 for the other tasks
    occurred_at: str
    attempt: int = 1
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
