"""Contracts of the live classroom: session events for the real-time channel, activity logs, and the AI analyses.

Session events. Every change the gateway makes to a live session (a status move, a step change, a join, a
completion, a help request, a broadcast, a screenshot) is numbered with the session's next `seq` in the same
transaction and published through the outbox as a SessionEvent on the `events` exchange (routing key
`classroom.<type>`). Every notifier replica receives every SessionEvent and fans it out to the sockets of that
session (`/ws/sessions/{code}`) and of its lecture's dashboard (`/ws/dashboard/lectures/{id}`). `state` is the
session's whole state after the event, so a replica that missed nothing can answer a (re)connecting client with
the state at seq N, then every event after N, in order; a client drops any seq it has already seen.

Participant tokens. A learner who joins by code without an account gets a JWT signed with the gateway's access
token keys (so the notifier verifies it with the same JWKS): `aud` as access tokens, `sub` = the participant's id,
`sid` = the session's id, `scope` = "classroom:participant", `exp` = when the session can no longer be joined
(at most a day). It is good for that session only.

Activity. Accepted activity events leave through the outbox as ActivityLogged messages (one per accepted batch)
on the `events` exchange (routing key `activity.logged`) into the `classroom.activity` stream (a RabbitMQ stream
queue: several consumers read it independently and can replay from an offset); the gateway's activity consumer
stores them in batches, by `event_id` (nothing twice).

Analyses. AnalyzeHelpRequest and AnalyzeRecording go to the `llm-worker.classroom` queue on the `jobs` exchange;
the worker reports ClassroomEvent webhooks (POST /api/webhooks/classroom) with the platform's status vocabulary;
a completed result must match shared.messages.classroom_results' schema for its task.
"""

import dataclasses
from typing import Any, ClassVar

from shared.messages.base import Message
from shared.messages.jobs import ProcessingData, ReasonData, TokenUsage
from shared.messages.reports import Report

SESSION_EVENT_TYPES = (
    "participant_joined",
    "participant_left",
    "step_changed",
    "session_status_changed",
    "progress_updated",
    "help_requested",
    "help_analyzed",  # the AI diagnosis of a help request is ready (or failed): the learner may read it
    "help_resolved",
    "instructor_message",
    "student_completion",
    "screenshot_updated",
)
# Events about one learner that the session's instructor and the lecture's dashboards see, and of the learners
# only that one: another learner's progress, screenshots or help requests are not the class's business.
ABOUT_ONE_LEARNER = frozenset(
    {"progress_updated", "student_completion", "screenshot_updated", "help_requested", "help_analyzed", "help_resolved"}
)
PARTICIPANT_SCOPE = "classroom:participant"
CLASSROOM_TASKS = ("help_analysis", "recording_analysis")


@dataclasses.dataclass(frozen=True, kw_only=True)
class SessionEvent(Message):
    """Something that happened in a live session, numbered `seq` within it; `state` is the session after it."""

    TYPE: ClassVar[str] = "SessionEvent"
    EXCHANGE: ClassVar[str] = "events"
    ROUTING_KEY: ClassVar[str] = "classroom"  # unused: see routing_key()

    id: str
    type: str  # one of SESSION_EVENT_TYPES
    session_id: str
    code: str
    lecture_id: str
    seq: int
    occurred_at: str
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
    state: dict[str, Any] = dataclasses.field(default_factory=dict)  # {status, current_step, participants: n, ...}

    def routing_key(self) -> str:
        return f"classroom.{self.type}"


@dataclasses.dataclass(frozen=True, kw_only=True)
class ActivityLogged(Message):
    """A batch of activity events a learner's app reported, as accepted (each with its own `event_id`)."""

    TYPE: ClassVar[str] = "ActivityLogged"
    EXCHANGE: ClassVar[str] = "events"
    ROUTING_KEY: ClassVar[str] = "activity.logged"  # the stream queue classroom.activity binds it

    batch_id: str
    received_at: str
    events: list[dict[str, Any]]  # [{event_id, event_type, occurred_at, session_id, participant_id, user_id, ...}]


@dataclasses.dataclass(frozen=True, kw_only=True)
class AnalyzeHelpRequest(Message):
    """Diagnose why a learner is stuck on a step, from the step and the learner's recent activity."""

    TYPE: ClassVar[str] = "AnalyzeHelpRequest"
    EXCHANGE: ClassVar[str] = "jobs"
    ROUTING_KEY: ClassVar[str] = "classroom.help_analysis"

    help_request_id: str
    step: dict[str, Any] | None  # {title, description, target_action, target_element_hint, guide_text, ...}
    context: dict[str, Any]  # {recent_activity: [...], error_message, screenshot_key}
    requested_at: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class AnalyzeRecording(Message):
    """Turn a recording's events into the steps taken and where the user hesitated."""

    TYPE: ClassVar[str] = "AnalyzeRecording"
    EXCHANGE: ClassVar[str] = "jobs"
    ROUTING_KEY: ClassVar[str] = "classroom.recording_analysis"

    recording_id: str
    events: list[dict[str, Any]]  # in order: {event_type, occurred_at, package, screen, element, text, x, y}
    requested_at: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class AnalysisData:
    result: dict[str, Any]
    provider: str
    model: str
    usage: TokenUsage | None = None


CLASSROOM_EVENT_DATA = {
    "classroom.processing": ProcessingData,
    "classroom.retrying": ReasonData,
    "classroom.completed": AnalysisData,
    "classroom.failed": ReasonData,
}


@dataclasses.dataclass(frozen=True, kw_only=True)
class ClassroomEvent(Report):
    """What happened to a classroom analysis in the worker, reported to the gateway by webhook."""

    TYPE: ClassVar[str] = "ClassroomEvent"
    DATA: ClassVar[dict[str, type]] = CLASSROOM_EVENT_DATA

    id: str
    type: str
    task: str  # one of CLASSROOM_TASKS
    task_id: str  # the help request's or recording's id
    occurred_at: str
    attempt: int = 1
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
