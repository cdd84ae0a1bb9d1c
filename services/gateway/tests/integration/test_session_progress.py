"""A learner's progress in a live session (completions, the current step, screenshots) and what the instructor
reads of it (participants, completion status, summary, latest screenshots)."""

import io
import uuid
from datetime import UTC, datetime

import pytest
from sessions_kit import Classroom
from studio_kit import image_bytes

from gateway.classroom.models import HelpRequest


def _complete(client, session, learner, step):
    path = f"/api/sessions/{session['id']}/report-completion"
    return client.post(path, json={"subtask_id": step}, headers=learner["headers"])


def test_a_completion_is_taken_once_and_the_last_one_completes_the_learner(classroom, teacher, client):
    session = classroom.session(teacher)
    learner = classroom.device(session)
    steps = session["steps"]
    assert _complete(client, session, learner, steps[0]).status_code == 409  # not started yet
    classroom.control(teacher, session, "start")
    first = _complete(client, session, learner, steps[0])
    assert first.status_code == 200 and first.json["newly_completed"] is True
    assert first.json["completed_subtasks"] == [steps[0]] and first.json["next_subtask"]["id"] == steps[1]
    again = _complete(client, session, learner, steps[0])
    assert again.status_code == 200 and again.json["newly_completed"] is False
    assert again.json["completed_subtasks"] == [steps[0]]
    completions = [e for e in classroom.events(session["id"]) if e["type"] == "student_completion"]
    assert len(completions) == 1
    assert completions[0]["data"] == {
        "participant_id": learner["participant_id"],
        "display_name": "김영희",
        "subtask_id": steps[0],
        "completed_subtasks": [steps[0]],
        "total_completed": 1,
        "total_steps": 3,
        "completed_all": False,
    }
    for step in steps[1:]:
        last = _complete(client, session, learner, step)
    assert last.json["completed_all"] is True and last.json["my_status"] == "COMPLETED"
    assert last.json["next_subtask"] is None
    assert classroom.events(session["id"])[-1]["state"]["participants_by_status"] == {"COMPLETED": 1}


def test_bad_completions_are_refused_and_change_nothing(classroom, teacher, client, alice):
    session = classroom.session(teacher)
    learner = classroom.device(session)
    classroom.control(teacher, session, "start")
    foreign = classroom.lecture(teacher)["steps"][0]
    path = f"/api/sessions/{session['id']}/report-completion"
    for body in ({}, {"subtask_id": "nope"}, {"subtask_id": 5}, {"subtask_id": foreign}, {"subtask_id": [1]}):
        response = client.post(path, json=body, headers=learner["headers"])
        assert response.status_code == 422, body
    assert client.post(path, data="subtask_id=x", headers=learner["headers"]).status_code == 415
    step = {"subtask_id": session["steps"][0]}
    assert client.post(path, json=step).status_code == 401
    assert client.post(path, json=step, headers=alice.headers).status_code == 404  # did not join
    assert client.post(path, json=step, headers=teacher.headers).status_code == 404
    assert (
        client.post(f"/api/sessions/{uuid.uuid4()}/report-completion", json=step, headers=alice.headers).status_code
        == 404
    )
    classroom.control(teacher, session, "end")
    assert client.post(path, json=step, headers=learner["headers"]).status_code == 409
    assert classroom.sql("SELECT count(*) FROM step_progress WHERE session_id = %s", session["id"]) == [(0,)]


def test_a_signed_in_learner_reports_and_reads_the_current_step(classroom, teacher, client, alice, bob):
    session = classroom.session(teacher)
    client.post(f"/api/sessions/{session['id']}/join", json={}, headers=alice.headers)
    classroom.control(teacher, session, "start")
    classroom.control(teacher, session, "next-step")
    assert _complete(client, session, {"headers": alice.headers}, session["steps"][0]).status_code == 200
    current = client.get(f"/api/sessions/{session['id']}/current", headers=alice.headers)
    assert current.status_code == 200
    assert current.json["current_step"]["id"] == session["steps"][1]
    assert current.json["current_step"]["guide_text"] == "버튼 2을 누르세요"
    assert current.json["my_step"]["id"] == session["steps"][1] and current.json["my_status"] == "ACTIVE"
    assert current.json["completed_subtasks"] == [session["steps"][0]]
    own = client.get(f"/api/sessions/{session['id']}/current", headers=teacher.headers)
    assert own.status_code == 200 and own.json["current_step"]["position"] == 2 and "my_status" not in own.json
    assert client.get(f"/api/sessions/{session['id']}/current", headers=bob.headers).status_code == 404
    assert client.get(f"/api/sessions/{session['id']}/current").status_code == 401


def test_the_instructor_reads_participants_completion_and_a_summary(classroom, teacher, client):
    session = classroom.session(teacher)
    ahead, behind = classroom.device(session, name="빠른"), classroom.device(session, name="느린")
    classroom.control(teacher, session, "start")
    for step in session["steps"]:
        _complete(client, session, ahead, step)
    _complete(client, session, behind, session["steps"][0])
    _help(classroom, session, behind, session["steps"][1])
    base = f"/api/sessions/{session['id']}"
    listed = client.get(f"{base}/participants", headers=teacher.headers).json
    assert [p["display_name"] for p in listed["participants"]] == ["빠른", "느린"] and listed["total_count"] == 2
    assert [p["progress_rate"] for p in listed["participants"]] == [100.0, 33.3]
    assert [p["has_pending_help_request"] for p in listed["participants"]] == [False, True]
    status = client.get(f"{base}/completion-status", headers=teacher.headers).json
    assert status["subtask_completion_stats"] == {
        session["steps"][0]: 2,
        session["steps"][1]: 1,
        session["steps"][2]: 1,
    }
    classroom.control(teacher, session, "end")
    summary = client.get(f"{base}/summary", headers=teacher.headers).json
    assert summary["status"] == "ENDED" and summary["total_participants"] == 2
    assert summary["completed_participants"] == 1 and summary["completion_rate"] == 50.0
    assert summary["average_progress"] == 66.7 and summary["total_steps"] == 3
    assert summary["total_help_requests"] == 1 and summary["resolved_help_requests"] == 0
    assert summary["difficult_steps"] == [
        {"subtask_id": session["steps"][1], "title": "단계 1-2", "help_request_count": 1}
    ]
    for report in ("participants", "completion-status", "summary", "screenshots"):
        assert client.get(f"{base}/{report}", headers=classroom.instructor().headers).status_code == 404
        assert client.get(f"{base}/{report}", headers=ahead["headers"]).status_code == 401
        assert client.get(f"{base}/{report}").status_code == 401


def _help(classroom, session, learner, step):
    now = datetime.now(UTC)
    row = HelpRequest(
        id=uuid.uuid4(),
        session_id=uuid.UUID(session["id"]),
        step_id=uuid.UUID(step),
        participant_id=uuid.UUID(learner["participant_id"]),
        context={},
        created_at=now,
        updated_at=now,
    )
    with classroom.db.uow() as db:
        db.add(row)
        db.commit()


@pytest.fixture
def studio_classroom(studio_app, accounts, database_url):
    return Classroom(studio_app, studio_app.test_client(), accounts, database_url)


def _send(client, session, learner, data: bytes, name="screen.png"):
    return client.post(
        f"/api/sessions/{session['id']}/screenshots",
        data={"image": (io.BytesIO(data), name)},
        headers=learner["headers"],
        content_type="multipart/form-data",
    )


def test_screenshots_are_checked_stored_and_the_latest_shown_by_signed_url(studio_classroom):
    classroom, client = studio_classroom, studio_classroom.client
    teacher = classroom.instructor()
    session = classroom.session(teacher)
    learner = classroom.device(session)
    classroom.control(teacher, session, "start")
    first = _send(client, session, learner, image_bytes("PNG", (300, 600), seed=1))
    assert first.status_code == 201 and first.json["content_type"] == "image/png"
    assert first.json["step_id"] == session["steps"][0]
    latest = _send(client, session, learner, image_bytes("JPEG", (300, 600), seed=2), "screen.jpg")
    assert latest.status_code == 201
    listed = client.get(f"/api/sessions/{session['id']}/screenshots", headers=teacher.headers).json
    assert [shot["id"] for shot in listed["items"]] == [latest.json["id"]]
    url = listed["items"][0]["image_url"]
    fetched = client.get(url)
    assert fetched.status_code == 200 and fetched.content_type == "image/jpeg"
    assert client.get(url.split("?")[0]).status_code == 404  # never without its signature
    event = classroom.events(session["id"])[-1]
    assert event["type"] == "screenshot_updated" and event["data"]["screenshot_id"] == latest.json["id"]


def test_bad_screenshots_are_refused_and_store_nothing(studio_classroom):
    classroom, client = studio_classroom, studio_classroom.client
    teacher = classroom.instructor()
    session = classroom.session(teacher)
    learner = classroom.device(session)
    bad = [
        (b"not an image at all", "a.png"),
        (image_bytes("GIF", (300, 300)), "a.gif"),
        (image_bytes("WEBP", (300, 300)), "a.webp"),
        (image_bytes("PNG", (20, 20)), "tiny.png"),
        (image_bytes("PNG", (300, 300))[:200], "cut.png"),
    ]
    for data, name in bad:
        assert _send(client, session, learner, data, name).status_code == 422, name
    path = f"/api/sessions/{session['id']}/screenshots"
    assert client.post(path, json={"image": "x"}, headers=learner["headers"]).status_code == 415
    no_file = client.post(path, data={"other": "x"}, headers=learner["headers"], content_type="multipart/form-data")
    assert no_file.status_code == 422
    huge = b"\x89PNG" + b"\0" * (classroom.app.extensions["gateway"].settings.screenshot_max_bytes + 70_000)
    assert _send(client, session, learner, huge).status_code == 413
    assert _send(client, session, {"headers": {}}, image_bytes("PNG", (300, 300))).status_code == 401
    classroom.control(teacher, session, "end")
    assert _send(client, session, learner, image_bytes("PNG", (300, 300))).status_code == 409
    assert classroom.sql("SELECT count(*) FROM session_screenshots WHERE session_id = %s", session["id"]) == [(0,)]
