"""What the instructor reads of a session: its participants, who completed which step, and a summary."""

import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from gateway.classroom.participants_store import ParticipantStore
from gateway.classroom.sessions_service import owned
from gateway.classroom.sessions_store import SessionStore
from gateway.platform.db import UnitOfWork


def participants(uow: UnitOfWork, instructor_id: uuid.UUID, raw_id: str) -> dict[str, Any]:
    """The session's participants in joining order, each with their progress and whether they wait for help."""
    session = owned(uow, instructor_id, raw_id)
    with uow:
        store = uow.store(ParticipantStore)
        total = len(uow.store(SessionStore).steps(session.lecture_id))
        rows, done, waiting = store.all(session.id), store.completed(session.id), store.pending_help(session.id)
        items = [_participant(p, done.get(p.id, []), total, p.id in waiting) for p in rows]
    return {"session_id": session.id, "participants": items, "total_count": len(items)}


def completion_status(uow: UnitOfWork, instructor_id: uuid.UUID, raw_id: str) -> dict[str, Any]:
    """Each participant's completed steps, and how many participants completed each step."""
    listed = participants(uow, instructor_id, raw_id)
    per_step = Counter(step for p in listed["participants"] for step in p["completed_subtasks"])
    return listed | {"subtask_completion_stats": dict(per_step)}


def summary(uow: UnitOfWork, instructor_id: uuid.UUID, raw_id: str) -> dict[str, Any]:
    """The session at a glance: time, completion, average progress, help asked for, the hardest steps."""
    session = owned(uow, instructor_id, raw_id)
    listed = completion_status(uow, instructor_id, raw_id)
    with uow:
        view = uow.store(SessionStore).views([session])[0]
        steps = {step["id"]: step for step in uow.store(SessionStore).steps(session.lecture_id)}
        help_by_step = uow.store(ParticipantStore).help_by_step(session.id)
    people = listed["participants"]
    finished = sum(1 for p in people if p["status"] == "COMPLETED")
    asked, resolved = sum(n for _, n, _ in help_by_step), sum(r for _, _, r in help_by_step)
    end = session.ended_at or datetime.now(UTC)
    return {
        **{key: view[key] for key in ("id", "code", "title", "status", "lecture", "started_at", "ended_at")},
        "duration_seconds": int((end - session.started_at).total_seconds()) if session.started_at else 0,
        "total_participants": len(people),
        "completed_participants": finished,
        "completion_rate": _percent(finished, len(people)),
        "average_progress": round(sum(p["progress_rate"] for p in people) / len(people), 1) if people else 0.0,
        "total_steps": len(steps),
        "subtask_completion_stats": listed["subtask_completion_stats"],
        "total_help_requests": asked,
        "resolved_help_requests": resolved,
        "difficult_steps": [
            {"subtask_id": step_id, "title": steps[str(step_id)]["title"], "help_request_count": count}
            for step_id, count, _ in help_by_step
            if step_id is not None and str(step_id) in steps
        ][:5],
        "participants": people,
    }


def _participant(p, done: list[uuid.UUID], total: int, waiting_for_help: bool) -> dict[str, Any]:
    return {
        "id": p.id,
        "user_id": p.user_id,
        "device_id": p.device_id,
        "display_name": p.display_name,
        "status": p.status,
        "current_subtask_id": p.current_step_id,
        "completed_subtasks": [str(step) for step in done],
        "completed_count": len(done),
        "progress_rate": _percent(len(done), total),
        "has_pending_help_request": waiting_for_help,
        "joined_at": p.joined_at,
        "last_active_at": p.last_active_at,
        "completed_at": p.completed_at,
    }


def _percent(part: int, whole: int) -> float:
    return round(part / whole * 100, 1) if whole else 0.0
