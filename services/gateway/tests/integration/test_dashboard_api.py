"""GET /api/dashboard: the caller's live careers rows counted (in all and in the last 7 days), the latest résumés
and the recent activity, in three SQL statements however many rows there are; nobody else's rows ever."""

import contextlib
import uuid
from datetime import UTC, datetime

import pytest
from careers_rows import Rows, ago
from sqlalchemy import event

from gateway.careers import dashboard

URL = "/api/dashboard"


@pytest.fixture
def db(app):
    return app.extensions["gateway"].db


def rows(db, who) -> Rows:
    return Rows(db, who.user["id"])


@contextlib.contextmanager
def statements(db):
    """The SQL statements run on the engine meanwhile."""
    seen = []

    def count(conn, cursor, statement, *_):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_a_new_user_sees_zeros(client, alice):
    response = client.get(URL, headers=alice.headers)
    assert response.status_code == 200, response.json
    body = response.json
    counts = {key: value for key, value in body.items() if key.startswith(("total_", "this_week_"))}
    assert set(counts.values()) == {0} and len(counts) == 6
    assert body["recent_resumes"] == [] and body["recent_activities"] == []
    assert datetime.fromisoformat(body["week_started_at"]) < datetime.now(UTC)


def test_counts_are_of_live_rows_in_all_and_in_the_last_seven_days(client, db, alice, bob):
    mine = rows(db, alice)
    for at in (ago(hours=1), ago(days=3), ago(days=10)):
        mine.resume(at=at)
    mine.resume(deleted=True)
    resume = mine.resume(at=ago(days=30))
    mine.feedback(resume, at=ago(days=1))
    mine.feedback(resume, at=ago(days=8))
    mine.feedback(resume, deleted=True)
    mine.posting(at=ago(days=2))
    mine.posting(deleted=True)
    theirs = rows(db, bob)
    theirs.resume()
    theirs.feedback()
    theirs.posting()

    body = client.get(URL, headers=alice.headers).json

    assert (body["total_resumes"], body["this_week_resumes"]) == (4, 2)
    assert (body["total_ai_feedback"], body["this_week_ai_feedback"]) == (2, 1)
    assert (body["total_job_postings"], body["this_week_job_postings"]) == (1, 1)


def test_the_five_latest_resumes_are_the_ones_changed_last(client, db, alice, bob):
    mine = rows(db, alice)
    ids = [mine.resume(title=f"이력서 {n}", at=ago(days=20), updated=ago(days=n)) for n in range(7)]
    mine.resume(title="deleted", deleted=True)
    rows(db, bob).resume(title="bob's")

    recent = client.get(URL, headers=alice.headers).json["recent_resumes"]

    assert [item["id"] for item in recent] == [str(resume_id) for resume_id in ids[:5]]
    first = recent[0]
    assert first["title"] == "이력서 0" and first["resume_type"] == "1"
    assert first["links"] == {"self": f"/api/resumes/{ids[0]}"}
    assert datetime.fromisoformat(first["updated_at"]) > datetime.fromisoformat(first["created_at"])


def test_recent_activity_merges_every_kind_by_time(client, db, alice, bob):
    mine = rows(db, alice)
    resume = mine.resume(title="새 이력서", at=ago(hours=5))
    edited = mine.resume(title="고친 이력서", at=ago(days=3), updated=ago(hours=4))
    feedback = mine.feedback(resume, title="새 이력서", at=ago(hours=3), status="completed")
    interview = mine.interview(title="새 이력서", at=ago(hours=2), status="processing")
    guide = mine.guide(title="Go 공부", at=ago(hours=1), status="queued")
    mine.feedback(deleted=True)
    mine.guide(deleted=True)
    mine.resume(deleted=True)
    rows(db, bob).interview()

    activities = client.get(URL, headers=alice.headers).json["recent_activities"]

    assert [(a["kind"], a["id"], a["status"]) for a in activities] == [
        ("study_guide", str(guide), "queued"),
        ("interview", str(interview), "processing"),
        ("resume_feedback", str(feedback), "completed"),
        ("resume", str(edited), "updated"),
        ("resume", str(resume), "created"),
    ]
    assert [a["title"] for a in activities] == ["Go 공부", "새 이력서", "새 이력서", "고친 이력서", "새 이력서"]
    assert [a["company"] for a in activities] == [None, "Kakao", "Kakao", None, None]
    links = [a["links"]["self"] for a in activities]
    assert links == [
        f"/api/study-guides/{guide}",
        f"/api/interviews/{interview}",
        f"/api/resume_feedbacks/{feedback}",
        f"/api/resumes/{edited}",
        f"/api/resumes/{resume}",
    ]
    ats = [datetime.fromisoformat(a["at"]) for a in activities]
    assert ats == sorted(ats, reverse=True)


def test_recent_activity_keeps_the_ten_newest(client, db, alice):
    mine = rows(db, alice)
    for hours in range(12):
        mine.interview(at=ago(hours=hours + 1))
    newest = mine.guide(at=ago(minutes=1))
    activities = client.get(URL, headers=alice.headers).json["recent_activities"]
    assert len(activities) == dashboard.RECENT_ACTIVITIES
    assert activities[0]["id"] == str(newest)


@pytest.mark.parametrize("size", [1, 25])
def test_three_statements_whatever_the_size(db, alice, size):
    mine = rows(db, alice)
    for n in range(size):
        resume = mine.resume(at=ago(hours=n))
        mine.feedback(resume, at=ago(hours=n))
        mine.posting(at=ago(hours=n))
        mine.interview(at=ago(hours=n))
        mine.guide(at=ago(hours=n))
    with statements(db) as seen:
        board = dashboard.get_dashboard(db.uow(), uuid.UUID(alice.user["id"]), datetime.now(UTC))
    assert len(seen) == 3, seen
    assert board.total_resumes == size and len(board.recent_resumes) == min(size, 5)


def test_it_needs_a_user(client):
    response = client.get(URL)
    assert response.status_code == 401 and response.content_type == "application/problem+json"
    bad = client.get(URL, headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401 and bad.content_type == "application/problem+json"


def test_writing_is_not_allowed(client, alice):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(URL, headers=alice.headers, json={})
        assert response.status_code == 405 and response.content_type == "application/problem+json"
