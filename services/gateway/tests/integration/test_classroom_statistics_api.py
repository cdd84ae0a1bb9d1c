"""The instructor's statistics: a lecture's learners, its figures, its steps' analysis and a session's progress,
for the lecture's owner only, each in a few statements whatever the size."""

import contextlib
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from gateway.classroom import statistics_service as statistics
from gateway.classroom import statistics_trends


@contextlib.contextmanager
def statements(db):
    seen = []

    def count(conn, cursor, statement, *_):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@pytest.fixture
def taught(classroom, client, teacher, alice, bob):
    """A started session of a 3-step lecture: devices A (2 steps done) and B (1, silent 10 minutes), alice joined
    signed in and waiting, bob enrolled only; two help requests on the second step, one resolved."""
    session = classroom.session(teacher)
    s1, s2, s3 = session["steps"]
    assert classroom.control(teacher, session, "start").status_code == 200
    a, b = classroom.device(session, "phone-a", "가영"), classroom.device(session, "phone-b", "나영")
    assert client.post(f"/api/sessions/{session['id']}/join", json={}, headers=alice.headers).status_code == 201
    lecture_id = session["lecture"]["id"]
    assert client.post(f"/api/lectures/{lecture_id}/enroll", headers=bob.headers).status_code in (200, 201)
    url = f"/api/sessions/{session['id']}/report-completion"
    for learner, steps in ((a, (s1, s2)), (b, (s1,))):
        for step in steps:
            assert client.post(url, json={"subtask_id": step}, headers=learner["headers"]).status_code == 200
    sql = classroom.sql
    sql("UPDATE step_progress SET started_at = completed_at - interval '100 seconds' WHERE participant_id = %s "
        "AND step_id = %s", a["participant_id"], s1)  # fmt: skip
    sql("UPDATE step_progress SET started_at = completed_at - interval '300 seconds' WHERE participant_id = %s "
        "AND step_id = %s", b["participant_id"], s1)  # fmt: skip
    sql("INSERT INTO activity_step_totals SELECT participant_id, step_id, session_id, %s, 10, "
        "completed_at - interval '120 seconds', completed_at FROM step_progress WHERE participant_id = %s "
        "AND step_id = %s", lecture_id, a["participant_id"], s1)  # fmt: skip
    on_own_step = "own_step_seq = (SELECT step_seq FROM class_sessions WHERE id = session_id)"  # moved on alone
    sql(f"UPDATE session_participants SET status = 'ACTIVE', own_step_id = %s, {on_own_step}, last_active_at = now() "
        "WHERE id = %s", s3, a["participant_id"])  # fmt: skip
    sql(f"UPDATE session_participants SET status = 'ACTIVE', own_step_id = %s, {on_own_step}, "
        "last_active_at = now() - interval '10 minutes' WHERE id = %s", s2, b["participant_id"])  # fmt: skip
    sql("UPDATE session_participants SET status = 'WAITING' WHERE session_id = %s AND user_id = %s",
        session["id"], alice.user["id"])  # fmt: skip
    for status in ("PENDING", "RESOLVED"):
        sql("INSERT INTO help_requests (id, session_id, lecture_id, step_id, participant_id, request_type, context, "
            "status, analysis_status, attempts, created_at, updated_at) VALUES (%s, %s, %s, %s, %s, 'MANUAL', '{}', "
            "%s, 'queued', 0, now(), now())",
            str(uuid.uuid4()), session["id"], lecture_id, s2, b["participant_id"], status)  # fmt: skip
    return session, lecture_id, a, b


def test_the_lectures_learners_enrolled_or_joined_and_how_far_each_got(client, teacher, taught, alice, bob):
    session, lecture_id, _, _ = taught
    response = client.get(f"/api/dashboard/lectures/{lecture_id}/students", headers=teacher.headers)
    assert response.status_code == 200, response.json
    students = {s["device_id"] or s["user_id"]: s for s in response.json["students"]}
    assert set(students) == {"phone-a", "phone-b", alice.user["id"], bob.user["id"]}
    assert (students["phone-a"]["completed_subtasks"], students["phone-a"]["progress_rate"]) == (2, 0.6667)
    assert students["phone-a"]["name"] == "가영" and students["phone-a"]["current_subtask"]["id"] == session["steps"][2]
    assert students["phone-b"]["help_count"] == 2 and students["phone-b"]["total_subtasks"] == 3
    assert students[bob.user["id"]]["enrolled_at"] and students[bob.user["id"]]["sessions_attended"] == 0
    assert students[alice.user["id"]]["email"] == alice.user["email"]
    assert students[alice.user["id"]]["sessions_attended"] == 1 and students[alice.user["id"]]["enrolled_at"] is None


def test_step_analysis_times_help_and_where_learners_are_stuck(client, teacher, taught):
    _, lecture_id, _, _ = taught
    response = client.get(f"/api/dashboard/statistics/lecture/{lecture_id}/step-analysis", headers=teacher.headers)
    assert response.status_code == 200, response.json
    body = response.json
    first, second, third = body["step_analysis"]
    assert [s["order_index"] for s in (first, second, third)] == [1, 2, 3] and body["total_subtasks"] == 3
    assert (first["student_count"], first["completed_count"], first["completion_rate"]) == (2, 2, 1.0)
    assert first["avg_time_spent"] == 210  # A: from its first event (120 s before), B: from its start (300 s)
    assert first["activity_events"] == 10 and first["help_request_count"] == 0
    assert (second["help_request_count"], second["open_help_requests"]) == (2, 1)
    assert (second["on_step_now"], second["stalled_now"]) == (1, 1)  # B, silent for 10 minutes
    assert (third["on_step_now"], third["stalled_now"], third["student_count"]) == (1, 0, 0)
    assert second["bottleneck_score"] > first["bottleneck_score"]
    summary = body["summary"]
    assert summary["most_help_requested_step"] == second["subtask_name"] == summary["most_stalled_step"]


def test_the_lectures_figures(client, teacher, taught):
    _, lecture_id, _, _ = taught
    response = client.get(f"/api/dashboard/statistics/lecture/{lecture_id}", headers=teacher.headers)
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["total_students"], body["total_sessions"], body["total_subtasks"]) == (4, 1, 3)
    assert (body["total_help_requests"], body["average_progress"], body["completion_rate"]) == (2, 25, 0)
    assert body["activity_events"] == 10
    assert body["difficult_steps"][0]["help_request_count"] == 2


def test_a_sessions_learners_in_the_originals_four_groups(client, teacher, taught, alice):
    session, _, _, _ = taught
    response = client.get(f"/api/dashboard/sessions/{session['id']}/progress-stats", headers=teacher.headers)
    assert response.status_code == 200, response.json
    body = response.json
    groups = {g["key"]: (g["name"], g["count"], g["percentage"]) for g in body["groups"]}
    assert groups == {
        "completed": ("완료", 0, 0),
        "in_progress": ("진행중", 1, 33),
        "delayed": ("지연", 1, 33),
        "not_started": ("미시작", 1, 33),
    }
    learners = {p["device_id"] or p["user_id"]: p for p in body["progress_data"]}
    assert (
        learners["phone-a"]["progress_percentage"] == 66 and learners["phone-a"]["current_subtask"]["order_index"] == 3
    )
    assert learners["phone-b"]["status"] == "delayed" and learners[alice.user["id"]]["status"] == "not_started"
    assert (body["total_students"], body["total_subtasks"], body["current_session_step"]) == (3, 3, 1)


def test_only_the_lectures_owner_reads_them(classroom, client, teacher, taught, alice):
    session, lecture_id, a, _ = taught
    other = classroom.instructor()
    urls = [
        f"/api/dashboard/lectures/{lecture_id}/students",
        f"/api/dashboard/statistics/lecture/{lecture_id}",
        f"/api/dashboard/statistics/lecture/{lecture_id}/step-analysis",
        f"/api/dashboard/sessions/{session['id']}/progress-stats",
        f"/api/dashboard/statistics/lecture/{lecture_id}/session-trends",
    ]
    for url in urls:
        for headers in (other.headers, alice.headers):
            response = client.get(url, headers=headers)
            assert response.status_code == 404 and response.mimetype == "application/problem+json", url
        unknown = url.replace(lecture_id, str(uuid.uuid4())).replace(session["id"], str(uuid.uuid4()))
        assert client.get(unknown, headers=teacher.headers).status_code == 404
        garbled = url.replace(lecture_id, "not-an-id").replace(session["id"], "not-an-id")
        assert client.get(garbled, headers=teacher.headers).status_code == 404
        for headers in ({}, {"Authorization": "Bearer nonsense"}, a["headers"]):  # a participant token too
            assert client.get(url, headers=headers).status_code == 401, url
        assert client.post(url, json={}, headers=teacher.headers).status_code == 405


def test_a_deleted_lecture_has_no_statistics(classroom, client, teacher):
    lecture = classroom.lecture(teacher)
    classroom.sql("UPDATE lectures SET deleted_at = now() WHERE id = %s", lecture["id"])
    response = client.get(f"/api/dashboard/statistics/lecture/{lecture['id']}", headers=teacher.headers)
    assert response.status_code == 404


@pytest.mark.parametrize("learners", [1, 12])
def test_a_few_statements_whatever_the_size(classroom, client, teacher, learners):
    session = classroom.session(teacher)
    assert classroom.control(teacher, session, "start").status_code == 200
    for n in range(learners):
        device = classroom.device(session, f"phone-{n}")
        url = f"/api/sessions/{session['id']}/report-completion"
        client.post(url, json={"subtask_id": session["steps"][0]}, headers=device["headers"])
    owner, lecture = uuid.UUID(teacher.user["id"]), uuid.UUID(session["lecture"]["id"])
    now = datetime.now(UTC)
    reads = {
        "students": (lambda uow: statistics.lecture_students(uow, owner, lecture), 2),
        "figures": (lambda uow: statistics.lecture_statistics(uow, owner, lecture, now), 3),
        "steps": (lambda uow: statistics.step_analysis(uow, owner, lecture, now), 2),
        "session": (lambda uow: statistics.session_progress(uow, owner, uuid.UUID(session["id"]), now), 2),
        "trends": (lambda uow: statistics_trends.session_trends(uow, owner, lecture, now), 2),
    }
    for name, (read, expected) in reads.items():
        with statements(classroom.db) as seen:
            read(classroom.db.uow())
        assert len(seen) == expected, (name, seen)
    assert len(statistics.lecture_students(classroom.db.uow(), owner, lecture)["students"]) == learners


def test_the_lectures_finished_sessions_compared_oldest_first(classroom, client, teacher):
    lecture = classroom.lecture(teacher, tasks=(2,))
    for n, finishers in enumerate((0, 1, 2)):  # each session: two learners, more of them finishing each time
        session = classroom.session(teacher, lecture)
        assert classroom.control(teacher, session, "start").status_code == 200
        for d in range(2):
            device = classroom.device(session, f"phone-{n}-{d}")
            for step in lecture["steps"] if d < finishers else lecture["steps"][:1]:
                url = f"/api/sessions/{session['id']}/report-completion"
                assert client.post(url, json={"subtask_id": step}, headers=device["headers"]).status_code == 200
        assert classroom.control(teacher, session, "end").status_code == 200
    classroom.session(teacher, lecture)  # never started, nobody joined: not compared
    response = client.get(f"/api/dashboard/statistics/lecture/{lecture['id']}/session-trends", headers=teacher.headers)
    assert response.status_code == 200, response.json
    body = response.json
    assert [s["completion_rate"] for s in body["sessions"]] == [0.0, 0.5, 1.0]
    assert [s["participant_count"] for s in body["sessions"]] == [2, 2, 2]
    assert body["trend_summary"]["completion_rate_trend"] == "improving"
    assert body["trend_summary"]["help_request_trend"] == "stable"
