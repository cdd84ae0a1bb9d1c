"""Use cases of help requests: ask (a learner in a session, or an enrolled one about a lecture), read, resolve
(the instructor), rate (the requester), and the instructor's pending ones.

Asking records the request (PENDING, analysis queued), its AnalyzeHelpRequest (the step as the lecture says it and
what the learner did just before) and, in a session, one more help on the step's progress and a numbered
help_requested session event, all in one transaction: the relay publishes later. Anyone else's request is a 404.
"""

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.classroom import help_rules as rules
from gateway.classroom.help_store import HelpStore
from gateway.classroom.help_views import help_view
from gateway.classroom.models import HelpRequest, LectureStep
from gateway.classroom.session_events import record_session_event
from gateway.classroom.session_events_store import STEP_FIELDS
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Conflict, InvalidInput, NotFound
from shared.messages.classroom import AnalyzeHelpRequest


@dataclasses.dataclass(frozen=True)
class Asker:
    """Who asks for help: a session's participant (a user who joined, or a token's holder), or a signed-in user
    about a lecture they are enrolled in (no session)."""

    user_id: uuid.UUID | None
    participant_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    lecture_id: uuid.UUID | None = None
    display_name: str | None = None


@dataclasses.dataclass(frozen=True)
class Viewer:
    """Who reads or rates a request: a signed-in user (the requester or the instructor), or a participant by token."""

    user_id: uuid.UUID | None
    participant_id: uuid.UUID | None = None


def parse_id(raw: str | uuid.UUID, what: str = "help request") -> uuid.UUID:
    try:
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except ValueError:
        raise NotFound(f"'{str(raw)[:64]}' is not a {what} id ({what} ids are UUIDs)") from None


def request_help(uow: UnitOfWork, asker: Asker, body: dict[str, Any]) -> dict[str, Any]:
    """Record a help request and start its analysis."""
    now = datetime.now(UTC)
    context = body.get("context") or {}
    with uow:
        store = uow.store(HelpStore)
        lecture_id = _lecture_of(store, asker, body.get("lecture_id"))
        step = _step(store, asker, lecture_id, body.get("subtask_id"))
        key = _screenshot_key(store, asker, context.get("screenshot_id"))
        activity = context.get("recent_activity")
        if activity is None:
            since = now - timedelta(seconds=rules.ACTIVITY_WINDOW_SECONDS)
            who = dataclasses.replace(asker, lecture_id=lecture_id)
            activity = store.recent_activity(who, since, rules.STORED_ACTIVITY)
        kept = {
            "recent_activity": [_plain(event) for event in activity],
            "error_message": context.get("error_message"),
            "screenshot_id": context.get("screenshot_id") and str(context["screenshot_id"]),
        }
        help_request = HelpRequest(
            id=uuid.uuid4(), session_id=asker.session_id, lecture_id=lecture_id, step_id=step and step.id,
            participant_id=asker.participant_id, user_id=asker.user_id,
            request_type=body.get("request_type") or "MANUAL", context=kept, status="PENDING",
            analysis_status="queued", attempts=0, created_at=now, updated_at=now,
        )  # fmt: skip
        store.add(help_request)
        store.add_message(
            AnalyzeHelpRequest(
                help_request_id=str(help_request.id),
                step=step and {name: getattr(step, name) for name in STEP_FIELDS},
                context={**kept, "screenshot_key": key},
                requested_at=now.isoformat(),
            )
        )
        if asker.session_id is not None:
            if step is not None:
                store.count_help(asker.participant_id, asker.session_id, step.id, now)
            record_session_event(uow, asker.session_id, "help_requested", _event_data(help_request, asker, step))
        view = help_view(help_request, store.names(help_request))
        uow.commit()
        return view


def get_help(uow: UnitOfWork, viewer: Viewer, raw_id: str) -> dict[str, Any]:
    """A request, for its requester or the instructor of its session or lecture; anyone else's is a 404."""
    help_id = parse_id(raw_id)
    with uow:
        store = uow.store(HelpStore)
        help_request = store.get(help_id)
        if help_request is None or not _may_see(store, help_request, viewer):
            raise NotFound(f"no help request with id {help_id} among yours")
        return help_view(help_request, store.names(help_request))


def resolve_help(uow: UnitOfWork, instructor_id: uuid.UUID, raw_id: str) -> dict[str, Any]:
    """The instructor marks a request resolved (once: again is a 409); its requester hears of it."""
    help_id = parse_id(raw_id)
    now = datetime.now(UTC)
    with uow:
        store = uow.store(HelpStore)
        help_request = store.get(help_id, lock=True)
        if help_request is None or store.owners(help_request).instructor_id != instructor_id:
            raise NotFound(f"no help request with id {help_id} in your sessions or lectures")
        conflict = rules.resolve_conflict(help_request.status)
        if conflict:
            raise Conflict(conflict)
        help_request.status, help_request.resolved_at, help_request.updated_at = "RESOLVED", now, now
        names = store.names(help_request)
        if help_request.user_id is not None:
            facts = {"subtask_title": names[1]}
            store.tell(help_request.user_id, "help_request.resolved", facts, str(help_request.id))
        if help_request.session_id is not None:
            data = {"help_request_id": help_request.id, "participant_id": help_request.participant_id}
            record_session_event(uow, help_request.session_id, "help_resolved", data | {"by": "instructor"})
        view = help_view(help_request, names)
        uow.commit()
        return view


def give_feedback(uow: UnitOfWork, viewer: Viewer, raw_id: str, rating: int, text: str | None) -> dict[str, Any]:
    """The requester rates the help they got (1-5), once."""
    help_id = parse_id(raw_id)
    now = datetime.now(UTC)
    with uow:
        store = uow.store(HelpStore)
        help_request = store.get(help_id, lock=True)
        if help_request is None or not rules.is_requester(help_request, viewer.user_id, viewer.participant_id):
            raise NotFound(f"no help request with id {help_id} among yours")
        conflict = rules.feedback_conflict(help_request)
        if conflict:
            raise Conflict(conflict)
        help_request.feedback_rating, help_request.feedback_text = rating, (text or "").strip() or None
        help_request.feedback_at = help_request.updated_at = now
        uow.commit()
        return {
            "help_request_id": help_request.id,
            "rating": rating,
            "text": help_request.feedback_text,
            "feedback_at": now,
        }


def pending(
    uow: UnitOfWork, instructor_id: uuid.UUID, page: int, size: int, raw_session_id: str | None = None
) -> tuple[list[dict[str, Any]], int]:
    """One page of the unresolved requests in the instructor's sessions and lectures, longest waiting first."""
    session_id = None if raw_session_id is None else parse_id(raw_session_id, "session")
    with uow:
        rows, total = uow.store(HelpStore).pending(instructor_id, page, size, session_id)
        return [help_view(row.HelpRequest, (row.display_name, row.subtask_title), row.lecture_title) for row in rows], (
            total
        )


def _lecture_of(store: HelpStore, asker: Asker, raw_lecture_id: uuid.UUID | None) -> uuid.UUID:
    """The lecture the request is about: the session's (checked against the one named), else the one named."""
    if asker.session_id is not None:
        session = store.session(asker.session_id, lock=True)  # before the request's row refers to it
        if session is None:
            raise NotFound(f"no session with id {asker.session_id}")
        conflict = rules.session_conflict(session.status)
        if conflict:
            raise Conflict(conflict)
        if raw_lecture_id is not None and raw_lecture_id != session.lecture_id:
            raise InvalidInput("This is not the session's lecture.", "lecture_id")
        return session.lecture_id
    if raw_lecture_id is None:
        raise InvalidInput("Say which session (session_id) or lecture (lecture_id) you need help with.", "lecture_id")
    lecture = store.live_lecture(raw_lecture_id)
    mine = lecture is not None and (lecture.instructor_id == asker.user_id or store.enrolled(lecture.id, asker.user_id))
    if not mine:
        raise NotFound(f"no lecture with id {raw_lecture_id} among those you are enrolled in")
    return lecture.id


def _step(store: HelpStore, asker: Asker, lecture_id: uuid.UUID, subtask_id: uuid.UUID | None) -> LectureStep | None:
    """The step named (it must be the lecture's), else in a session the one the learner is on."""
    if subtask_id is not None:
        step = store.step(subtask_id, lecture_id)
        if step is None:
            raise InvalidInput(f"{subtask_id} is not a step (subtask) of this lecture.", "subtask_id")
        return step
    if asker.participant_id is None:
        return None
    current = store.participant_step(asker.participant_id) or store.session(asker.session_id).current_step_id
    return current and store.step(current, lecture_id)


def _screenshot_key(store: HelpStore, asker: Asker, screenshot_id: uuid.UUID | None) -> str | None:
    if screenshot_id is None:
        return None
    key = asker.participant_id and store.screenshot_key(screenshot_id, asker.participant_id)
    if not key:
        raise InvalidInput(f"{screenshot_id} is not one of your screenshots in this session.", "context/screenshot_id")
    return key


def _may_see(store: HelpStore, help_request: HelpRequest, viewer: Viewer) -> bool:
    if rules.is_requester(help_request, viewer.user_id, viewer.participant_id):
        return True
    return viewer.user_id is not None and store.owners(help_request).instructor_id == viewer.user_id


def _event_data(help_request: HelpRequest, asker: Asker, step: LectureStep | None) -> dict[str, Any]:
    return {
        "help_request_id": help_request.id,
        "participant_id": asker.participant_id,
        "display_name": asker.display_name,
        "subtask_id": step and step.id,
        "subtask_title": step and step.title,
        "request_type": help_request.request_type,
        "error_message": help_request.context.get("error_message"),
    }


def _plain(event: dict[str, Any]) -> dict[str, Any]:
    """An activity event as JSON holds it (times as ISO 8601), without empty fields."""
    return {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in event.items()
        if value is not None
    }
