"""Live sessions over HTTP: opening one (code, QR), reading it, and every instructor control, legal and illegal."""

import io
import threading
import uuid

import pytest
import segno
from PIL import Image

from gateway.classroom import sessions_rules as rules
from gateway.classroom.session_qr import BORDER, SCALE, join_url


def _state(classroom, session) -> tuple:
    """What a refused control must leave alone: status, step, event number, recorded controls."""
    row = classroom.sql(
        "SELECT status, current_step_id, event_seq, (SELECT count(*) FROM session_controls WHERE session_id = s.id) "
        "FROM class_sessions s WHERE id = %s",
        session["id"],
    )
    return row[0]


def test_an_instructor_opens_a_session_with_a_code_of_the_alphabet(classroom, teacher, client):
    lecture = classroom.lecture(teacher)
    response = client.post(f"/api/lectures/{lecture['id']}/sessions", json={}, headers=teacher.headers)
    assert response.status_code == 201
    session = response.json
    assert response.headers["Location"] == f"/api/sessions/{session['id']}/current"
    assert session["status"] == "WAITING" and session["title"] == "스마트폰 기초"  # the lecture's title by default
    assert len(session["code"]) == 6 and set(session["code"]) <= set(rules.CODE_ALPHABET)
    assert session["total_steps"] == 3 and session["current_step"] is None and session["event_seq"] == 0
    assert session["instructor"]["username"] == teacher.user["username"]
    assert classroom.events(session["id"]) == []


def test_a_taken_code_is_tried_again_and_none_free_is_a_503(classroom, teacher, client, monkeypatch):
    first = classroom.session(teacher)
    fresh = "".join(reversed(first["code"])) if first["code"] != first["code"][::-1] else "CCCCCC"
    monkeypatch.setattr(rules, "codes", lambda: iter([first["code"], fresh]))
    second = classroom.session(teacher)
    assert second["code"] == fresh
    monkeypatch.setattr(rules, "codes", lambda: iter([first["code"], fresh]))
    lecture = classroom.lecture(teacher)
    response = client.post(f"/api/lectures/{lecture['id']}/sessions", json={}, headers=teacher.headers)
    assert response.status_code == 503 and response.content_type == "application/problem+json"
    assert classroom.sql("SELECT count(*) FROM class_sessions WHERE lecture_id = %s", lecture["id"]) == [(0,)]


def test_only_the_lectures_instructor_opens_a_session(classroom, teacher, client, alice):
    lecture = classroom.lecture(teacher)
    other = classroom.instructor()
    path = f"/api/lectures/{lecture['id']}/sessions"
    assert client.post(path, json={}, headers=alice.headers).status_code == 403  # no instructor role
    assert client.post(path, json={}, headers=other.headers).status_code == 404  # not theirs: never a 403
    assert client.post(f"/api/lectures/{uuid.uuid4()}/sessions", json={}, headers=teacher.headers).status_code == 404
    assert client.post("/api/lectures/not-a-uuid/sessions", json={}, headers=teacher.headers).status_code == 404
    assert client.post(path, json={}).status_code == 401
    for body in ({"title": "x" * 256}, {"title": 7}, {"scheduled_at": "2025-05-20T10:00:00"}, {"title": "a\u202eb"}):
        response = client.post(path, json=body, headers=teacher.headers)
        assert response.status_code == 422, body
        assert response.content_type == "application/problem+json"
    assert client.post(path, data="title=x", headers=teacher.headers).status_code == 415
    assert classroom.sql("SELECT count(*) FROM class_sessions WHERE lecture_id = %s", lecture["id"]) == [(0,)]


def test_a_session_is_found_by_its_code_in_any_case_and_spacing(classroom, teacher, client, bob):
    session = classroom.session(teacher)
    code = session["code"]
    for spelling in (code, code.lower(), f"{code[:3]}-{code[3:]}", f"{code[:3]} {code[3:]}"):
        response = client.get(f"/api/sessions/{spelling}", headers=bob.headers)
        assert response.status_code == 200 and response.json["id"] == session["id"], spelling
    for unknown in ("333333", "ABC", "O0I1L5", "x" * 300):
        response = client.get(f"/api/sessions/{unknown}", headers=bob.headers)
        assert response.status_code == 404 and response.content_type == "application/problem+json"
    assert client.get(f"/api/sessions/{code}").status_code == 401
    learner = classroom.device(session)
    assert client.get(f"/api/sessions/{code}", headers=learner["headers"]).status_code == 200
    other = classroom.session(teacher)
    assert client.get(f"/api/sessions/{other['code']}", headers=learner["headers"]).status_code == 401


def test_the_qr_code_is_a_png_of_the_join_url(classroom, teacher, client, gateway_settings):
    session = classroom.session(teacher)
    response = client.get(f"/api/sessions/{session['code'].lower()}/qr.png")
    assert response.status_code == 200 and response.content_type == "image/png"
    image = Image.open(io.BytesIO(response.data)).convert("1")
    expected = segno.make(join_url(gateway_settings.classroom_join_url, session["code"]), error="m", micro=False)
    assert expected.designator.endswith(("M", "Q", "H"))
    modules = [
        [image.getpixel(((x + BORDER) * SCALE + SCALE // 2, (y + BORDER) * SCALE + SCALE // 2)) == 0 for x in range(n)]
        for n in [len(expected.matrix)]
        for y in range(n)
    ]
    assert modules == [[bool(v) for v in row] for row in expected.matrix]  # module by module the join URL's code
    assert client.get("/api/sessions/333333/qr.png").status_code == 404
    assert join_url("https://class.example/join?lang=ko", "AC7KMX") == "https://class.example/join?lang=ko&code=AC7KMX"


def test_a_whole_session_step_by_step(classroom, teacher):
    session = classroom.session(teacher)
    steps = session["steps"]
    started = classroom.control(teacher, session, "start", message="시작합니다")
    assert started.status_code == 200
    assert started.json["status"] == "IN_PROGRESS" and started.json["current_step"]["id"] == steps[0]
    assert started.json["current_step"]["guide_text"] == "버튼 1을 누르세요" and started.json["started_at"]
    assert classroom.control(teacher, session, "next-step").json["current_step"]["position"] == 2
    assert classroom.control(teacher, session, "next-step").json["current_step"]["id"] == steps[2]
    last = classroom.control(teacher, session, "next-step")
    assert last.status_code == 409 and "last step" in last.json["detail"]
    assert classroom.control(teacher, session, "next-step", subtask_id=steps[0]).json["current_step"]["id"] == steps[0]
    assert classroom.control(teacher, session, "pause").json["status"] == "PAUSED"
    assert classroom.control(teacher, session, "resume").json["status"] == "IN_PROGRESS"
    ended = classroom.control(teacher, session, "end")
    assert ended.json["status"] == "ENDED" and ended.json["ended_at"]
    assert classroom.control(teacher, session, "review").json["status"] == "REVIEW_MODE"
    assert classroom.control(teacher, session, "end").json["status"] == "ENDED"
    actions = [
        a
        for (a,) in classroom.sql(
            "SELECT action FROM session_controls WHERE session_id = %s ORDER BY created_at", session["id"]
        )
    ]
    assert actions == ["start", "next-step", "next-step", "next-step", "pause", "resume", "end", "review", "end"]
    events = classroom.events(session["id"])
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert [e["type"] for e in events[:4]] == ["session_status_changed", "step_changed", "step_changed", "step_changed"]
    assert events[0]["data"] == {
        "status": "IN_PROGRESS",
        "previous_status": "WAITING",
        "action": "start",
        "message": "시작합니다",
    }
    assert events[1]["data"]["step"]["id"] == steps[0] and events[1]["state"]["current_step"]["position"] == 1
    assert events[2]["data"]["previous_step_id"] == steps[0]
    assert events[-1]["state"]["status"] == "ENDED" and events[-1]["code"] == session["code"]


ILLEGAL = [
    (status, action)
    for status in rules.STATUSES
    for action in ("start", "next-step", "pause", "resume", "end", "review")
    if status not in rules.MOVES[action][0]
]


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_an_illegal_control_is_a_409_that_changes_nothing(classroom, teacher, status, action):
    session = classroom.session(teacher)
    step = session["steps"][0] if status != "WAITING" else None
    classroom.sql(
        "UPDATE class_sessions SET status = %s, current_step_id = %s WHERE id = %s", status, step, session["id"]
    )
    before = _state(classroom, session)
    response = classroom.control(teacher, session, action)
    assert response.status_code == 409 and response.content_type == "application/problem+json"
    assert status in response.json["detail"]
    assert _state(classroom, session) == before and classroom.events(session["id"]) == []


@pytest.mark.parametrize("action", ["start", "next-step", "pause", "resume", "end", "review", "broadcast"])
def test_a_control_by_anyone_but_its_instructor_changes_nothing(classroom, teacher, client, alice, action):
    session = classroom.session(teacher)
    learner = classroom.device(session)
    before = _state(classroom, session)
    body = {"message": "hi"}
    path = f"/api/sessions/{session['id']}/{action}"
    assert client.post(path, json=body, headers=classroom.instructor().headers).status_code == 404
    assert client.post(path, json=body, headers=alice.headers).status_code == 404
    assert client.post(path, json=body, headers=learner["headers"]).status_code == 401
    assert client.post(path, json=body).status_code == 401
    assert client.post(f"/api/sessions/{uuid.uuid4()}/{action}", json=body, headers=teacher.headers).status_code == 404
    assert client.post(f"/api/sessions/nope/{action}", json=body, headers=teacher.headers).status_code == 404
    assert client.post(path, json={"message": 5}, headers=teacher.headers).status_code == 422
    assert client.post(path, json={"message": "x" * 501}, headers=teacher.headers).status_code == 422
    assert client.post(path, data="message=hi", headers=teacher.headers).status_code == 415
    assert _state(classroom, session) == before
    assert [e["type"] for e in classroom.events(session["id"])] == ["participant_joined"]


def test_next_step_to_a_step_of_another_lecture_is_a_422(classroom, teacher):
    session = classroom.session(teacher)
    classroom.control(teacher, session, "start")
    before = _state(classroom, session)
    foreign = classroom.lecture(teacher)["steps"][0]
    for body in ({"subtask_id": foreign}, {"subtask_id": "nope"}, {"subtask_id": 3}):
        assert classroom.control(teacher, session, "next-step", **body).status_code == 422
    assert _state(classroom, session) == before


def test_a_lecture_without_steps_starts_without_one_and_has_no_next(classroom, teacher):
    session = classroom.session(teacher, classroom.lecture(teacher, tasks=()))
    started = classroom.control(teacher, session, "start")
    assert started.status_code == 200 and started.json["current_step"] is None
    response = classroom.control(teacher, session, "next-step")
    assert response.status_code == 409 and "no steps" in response.json["detail"]
    assert [e["type"] for e in classroom.events(session["id"])] == ["session_status_changed"]


def test_a_retried_next_step_with_its_idempotency_key_moves_once(classroom, teacher, client):
    session = classroom.session(teacher)
    classroom.control(teacher, session, "start")
    headers = teacher.headers | {"Idempotency-Key": "next-1"}
    path = f"/api/sessions/{session['id']}/next-step"
    first, again = (client.post(path, json={}, headers=headers) for _ in range(2))
    assert first.json == again.json and again.headers["Idempotent-Replayed"] == "true"
    assert first.json["current_step"]["position"] == 2


def test_broadcast_reaches_everyone_as_an_event(classroom, teacher, client):
    session = classroom.session(teacher)
    classroom.device(session)
    path = f"/api/sessions/{session['id']}/broadcast"
    response = client.post(path, json={"message": "잘 하고 계세요"}, headers=teacher.headers)
    assert response.status_code == 200
    assert response.json["from"] == teacher.user["username"] and response.json["broadcast_to"] == 1
    event = classroom.events(session["id"])[-1]
    assert event["type"] == "instructor_message" and event["seq"] == response.json["seq"] == 2
    assert event["data"] == {"message": "잘 하고 계세요", "from": teacher.user["username"]}
    for body in ({}, {"message": ""}, {"message": "   "}, {"message": "x" * 501}, {"message": ["a"]}):
        assert client.post(path, json=body, headers=teacher.headers).status_code == 422, body
    classroom.control(teacher, session, "end")
    assert client.post(path, json={"message": "늦었어요"}, headers=teacher.headers).status_code == 409
    assert [
        a
        for (a,) in classroom.sql(
            "SELECT action FROM session_controls WHERE session_id = %s ORDER BY created_at", session["id"]
        )
    ] == ["broadcast", "end"]


def test_instructor_active_lists_sessions_that_have_not_ended(classroom, teacher, client):
    waiting, running, ended = (classroom.session(teacher) for _ in range(3))
    classroom.control(teacher, running, "start")
    classroom.control(teacher, ended, "end")
    listed = client.get("/api/sessions/instructor-active", headers=teacher.headers).json
    assert {s["id"] for s in listed["active_sessions"]} == {waiting["id"], running["id"]} and listed["count"] == 2
    assert client.get("/api/sessions/instructor-active", headers=classroom.instructor().headers).json["count"] == 0
    assert client.get("/api/sessions/instructor-active").status_code == 401


def test_concurrent_controls_are_numbered_without_gaps_and_one_start_wins(classroom, teacher, app):
    session = classroom.session(teacher)
    answers = []

    def control(action: str, times: int):
        client = app.test_client()
        for _ in range(times):
            path = f"/api/sessions/{session['id']}/{action}"
            answers.append((action, client.post(path, json={"message": "m"}, headers=teacher.headers).status_code))

    threads = [threading.Thread(target=control, args=("start", 1)) for _ in range(2)]
    threads += [threading.Thread(target=control, args=("broadcast", 10)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(code for action, code in answers if action == "start") == [200, 409]
    assert [code for action, code in answers if action == "broadcast"] == [200] * 20
    events = classroom.events(session["id"])
    assert [e["seq"] for e in events] == list(range(1, 23))  # 20 messages, a status change and the first step
    assert classroom.sql("SELECT event_seq FROM class_sessions WHERE id = %s", session["id"]) == [(22,)]
