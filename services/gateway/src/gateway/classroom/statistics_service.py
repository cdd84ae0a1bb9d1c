"""The instructor's statistics of a lecture and of a live session (the original's dashboard app), for its owner only.

Another instructor's lecture or session is a 404, as a missing one. Each read is a few statements, whatever the
number of learners, sessions or events: activity comes summed per learner and step (activity_step_totals).
"""

import uuid
from datetime import datetime, timedelta

from gateway.classroom.statistics_store import StatisticsStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import NotFound

QUIET = timedelta(minutes=5)  # silent this long in a live session: delayed (the original's threshold)
DIFFICULT_STEPS = 10
GROUPS = (  # the original's groups of a session's learners, its Korean names kept
    ("completed", "완료"),
    ("in_progress", "진행중"),
    ("delayed", "지연"),
    ("not_started", "미시작"),
)


def lecture_students(uow: UnitOfWork, owner_id: uuid.UUID, lecture_id: uuid.UUID) -> dict:
    """Every learner of the lecture (enrolled, or in one of its sessions) and how far they got."""
    with uow:
        store = uow.store(StatisticsStore)
        lecture = lecture_of(store, owner_id, lecture_id)
        students = [_student(row, lecture.total_steps) for row in store.students(lecture_id)]
    return {"lecture_id": lecture_id, "lecture_name": lecture.title, "students": students}


def step_analysis(uow: UnitOfWork, owner_id: uuid.UUID, lecture_id: uuid.UUID, now: datetime) -> dict:
    """Per step: how long learners take, how many ask for help, how many are stuck on it now."""
    with uow:
        store = uow.store(StatisticsStore)
        lecture = lecture_of(store, owner_id, lecture_id)
        steps = [_step(row) for row in store.steps(lecture_id, int(QUIET.total_seconds()))]
    return {
        "lecture_id": lecture_id,
        "lecture_name": lecture.title,
        "total_subtasks": len(steps),
        "step_analysis": steps,
        "summary": _summary(steps),
        "last_updated": now,
    }


def lecture_statistics(uow: UnitOfWork, owner_id: uuid.UUID, lecture_id: uuid.UUID, now: datetime) -> dict:
    """The lecture at a glance: learners, progress, completion, help, and its most difficult steps."""
    with uow:
        store = uow.store(StatisticsStore)
        lecture = lecture_of(store, owner_id, lecture_id)
        students = [_student(row, lecture.total_steps) for row in store.students(lecture_id)]
        steps = [_step(row) for row in store.steps(lecture_id, int(QUIET.total_seconds()))]
    total = len(students)
    finished = sum(1 for s in students if lecture.total_steps and s["completed_subtasks"] >= lecture.total_steps)
    ranked = sorted(steps, key=lambda s: (-s["help_request_count"], -s["bottleneck_score"], s["order_index"]))
    difficult = [s for s in ranked if s["help_request_count"] or s["bottleneck_score"] >= 0.5][:DIFFICULT_STEPS]
    return {
        "lecture_id": lecture_id,
        "lecture_name": lecture.title,
        "total_students": total,
        "total_sessions": lecture.total_sessions,
        "total_subtasks": lecture.total_steps,
        "total_help_requests": lecture.total_help_requests,
        "average_progress": round(sum(s["progress_rate"] for s in students) * 100 / total) if total else 0,
        "completion_rate": round(finished * 100 / total) if total else 0,
        "activity_events": sum(s["activity_events"] for s in steps),
        "difficult_steps": difficult,
        "last_updated": now,
    }


def session_progress(uow: UnitOfWork, owner_id: uuid.UUID, session_id: uuid.UUID, now: datetime) -> dict:
    """A live session's learners in the original's four groups, each with their step and progress."""
    with uow:
        store = uow.store(StatisticsStore)
        session = store.session(session_id, owner_id)
        if session is None:
            raise NotFound(f"no session with id {session_id} in your lectures")
        rows = store.participants(session_id, session.lecture_id)
    learners = [_learner(row, session.total_steps, now) for row in rows]
    counts = {key: sum(1 for x in learners if x["status"] == key) for key, _ in GROUPS}
    groups = [
        {"key": key, "name": name, "count": counts[key], "percentage": _percent(counts[key], len(learners))}
        for key, name in GROUPS
    ]
    return {
        "session_id": session_id,
        "session_status": session.status,
        "total_students": len(learners),
        "total_subtasks": session.total_steps,
        "current_session_step": session.current_order or 0,
        "groups": groups,
        "progress_data": learners,
        "last_updated": now,
    }


def bottleneck_score(delay_rate: float, help_requests: int, learners: int, completion_rate: float) -> float:
    """0 to 1, higher where learners are slow, ask for help and do not finish (the original's weights)."""
    if not learners:
        return 0.0
    help_rate = min(help_requests / learners, 1.0)
    return round(min(delay_rate * 0.4 + help_rate * 0.4 + (1 - completion_rate) * 0.2, 1.0), 2)


def lecture_of(store: StatisticsStore, owner_id: uuid.UUID, lecture_id: uuid.UUID):
    """The owner's lecture (title, steps, sessions, help requests); NotFound for anyone else's."""
    lecture = store.lecture(lecture_id, owner_id)
    if lecture is None:
        raise NotFound(f"no lecture with id {lecture_id} among yours")
    return lecture


def _student(row, total_steps: int) -> dict:
    current = {"id": row.step_id, "title": row.step_title, "status": row.status} if row.step_id else None
    return {
        "user_id": row.user_id,
        "device_id": row.device_id,
        "name": row.name,
        "email": row.email,
        "enrolled_at": row.enrolled_at,
        "progress_rate": round(row.completed / total_steps, 4) if total_steps else 0.0,
        "completed_subtasks": row.completed,
        "total_subtasks": total_steps,
        "current_subtask": current,
        "help_count": row.help_requests,
        "sessions_attended": row.sessions,
        "last_activity": row.last_active_at,
    }


def _step(row) -> dict:
    delay_rate = round(row.delayed / row.completed, 2) if row.completed else 0.0
    completion_rate = round(row.completed / row.learners, 2) if row.learners else 0.0
    return {
        "subtask_id": row.id,
        "subtask_name": row.title,
        "task_name": row.task_title,
        "order_index": row.order_index,
        "avg_time_spent": round(row.average) if row.average is not None else 0,
        "median_time_spent": round(row.median) if row.median is not None else 0,
        "delay_rate": delay_rate,
        "help_request_count": row.help_requests,
        "open_help_requests": row.open_help_requests,
        "student_count": row.learners,
        "completed_count": row.completed,
        "completion_rate": completion_rate,
        "activity_events": row.events,
        "on_step_now": row.on_it_now,
        "stalled_now": row.stalled_now,
        "bottleneck_score": bottleneck_score(delay_rate, row.help_requests, row.learners, completion_rate),
    }


def _summary(steps: list[dict]) -> dict:
    def top(key: str) -> str | None:
        best = max(steps, key=lambda s: s[key], default=None)
        return best["subtask_name"] if best and best[key] else None

    rates = [s["delay_rate"] for s in steps]
    return {
        "most_delayed_step": top("delay_rate"),
        "most_help_requested_step": top("help_request_count"),
        "most_stalled_step": top("stalled_now"),
        "highest_bottleneck_step": top("bottleneck_score"),
        "avg_overall_delay_rate": round(sum(rates) / len(rates), 2) if rates else 0.0,
    }


def _learner(row, total_steps: int, now: datetime) -> dict:
    current = None
    if row.step_id:
        current = {"id": row.step_id, "title": row.step_title, "order_index": row.order_index}
    return {
        "user_id": row.user_id,
        "device_id": row.device_id,
        "username": row.name,
        "current_subtask": current,
        "completed_subtasks": row.completed,
        "progress_percentage": _percent(row.completed, total_steps),
        "status": _group(row.status, row.last_active_at, now),
        "last_active_at": row.last_active_at,
    }


def _group(status: str, last_active_at: datetime | None, now: datetime) -> str:
    if status == "COMPLETED":
        return "completed"
    if status == "WAITING":
        return "not_started"
    if last_active_at is not None and last_active_at < now - QUIET:
        return "delayed"
    return "in_progress"


def _percent(part: int, whole: int) -> int:
    return int(part * 100 / whole) if whole else 0
