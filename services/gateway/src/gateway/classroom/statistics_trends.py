"""How a lecture's finished sessions compare, oldest first, and whether it is getting better (the original's rules).

The latest three sessions are weighed against the ones before (the latest against the one before it when there are
no more than three): completion improving by more than 5 points, help requests per learner falling by more than
0.1, or the time to complete falling by more than 10% is `improving`; the other way, `declining`; else `stable`.
"""

import uuid
from datetime import datetime

from gateway.classroom.statistics_service import lecture_of
from gateway.classroom.statistics_store import StatisticsStore
from gateway.platform.db import UnitOfWork

RECENT = 3
UNKNOWN = "insufficient_data"


def session_trends(uow: UnitOfWork, owner_id: uuid.UUID, lecture_id: uuid.UUID, now: datetime) -> dict:
    """The owner's lecture's finished sessions that anyone joined, each with its rates, and the trends."""
    with uow:
        store = uow.store(StatisticsStore)
        lecture = lecture_of(store, owner_id, lecture_id)
        sessions = [_session(row) for row in store.finished_sessions(lecture_id)]
    return {
        "lecture_id": lecture_id,
        "lecture_name": lecture.title,
        "sessions": sessions,
        "trend_summary": trends(sessions),
        "last_updated": now,
    }


def trends(sessions: list[dict]) -> dict:
    """Each trend of the latest sessions against the earlier ones (oldest first); UNKNOWN with fewer than two."""
    names = ("completion_rate_trend", "help_request_trend", "avg_completion_time_trend")
    if len(sessions) < 2:
        return dict.fromkeys(names, UNKNOWN)
    recent, earlier = sessions[-RECENT:], sessions[:-RECENT]
    if not earlier:
        recent, earlier = sessions[-1:], sessions[-2:-1]
    completion = _mean(recent, "completion_rate") - _mean(earlier, "completion_rate")
    helps = _mean(recent, "help_request_rate") - _mean(earlier, "help_request_rate")
    before = _mean(earlier, "avg_completion_time")
    time_change = (_mean(recent, "avg_completion_time") - before) / before if before > 0 else 0.0
    return {
        "completion_rate_trend": _direction(completion, 0.05),
        "help_request_trend": _direction(-helps, 0.1),  # fewer help requests is better
        "avg_completion_time_trend": _direction(-time_change, 0.1),  # less time is better
    }


def _session(row) -> dict:
    started = row.started_at
    return {
        "session_id": row.id,
        "session_title": row.title,
        "session_date": started.date() if started else None,
        "started_at": started,
        "ended_at": row.ended_at,
        "participant_count": row.participants,
        "completion_rate": round(row.completed / row.participants, 2),
        "avg_completion_time": round(row.completion) if row.completion is not None else 0,
        "total_help_requests": row.help_requests,
        "help_request_rate": round(row.help_requests / row.participants, 2),
    }


def _mean(sessions: list[dict], key: str) -> float:
    return sum(s[key] for s in sessions) / len(sessions)


def _direction(better_by: float, threshold: float) -> str:
    if better_by > threshold:
        return "improving"
    if better_by < -threshold:
        return "declining"
    return "stable"
