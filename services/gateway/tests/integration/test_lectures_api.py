"""Lectures: instructors write them (after upgrading), learners list the active ones and enroll; a lecture is read
whole with its tasks and steps; only its instructor changes or deletes it (404 for anyone else, nothing changed)."""

import uuid

import pytest
from lectures_kit import Teaching


@pytest.fixture
def teaching(client, accounts, database_url):
    return Teaching(client, accounts, database_url)


def test_a_user_becomes_an_instructor_then_writes_lectures(client, alice):
    refused = client.post("/api/lectures", json={"title": "스마트폰 기초"}, headers=alice.headers)
    assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    assert "instructor" in refused.json["detail"]
    for _ in range(2):  # idempotent
        upgraded = client.post("/api/users/me/upgrade-to-instructor", headers=alice.headers)
        assert upgraded.status_code == 200 and upgraded.json["roles"].count("instructor") == 1
    made = client.post("/api/lectures", json={"title": "스마트폰 기초"}, headers=alice.headers)  # the same token
    assert made.status_code == 201, made.json
    assert client.post("/api/users/me/upgrade-to-instructor").status_code == 401


def test_a_lecture_is_written_and_read_back_whole(client, teaching):
    kim = teaching.instructor()
    body = {
        "title": "  Book a taxi in an app ",
        "description": "Call a taxi to your door, step by step.",
        "thumbnail_url": "https://cdn.example.com/taxi.png",
    }
    response = client.post("/api/lectures", json=body, headers=kim.headers)
    assert response.status_code == 201, response.json
    lecture = response.json
    assert response.headers["Location"] == f"/api/lectures/{lecture['id']}"
    assert lecture["title"] == "Book a taxi in an app" and lecture["is_active"] is True
    assert lecture["instructor"] == {"id": kim.user["id"], "username": kim.user["username"]}
    counts = ("enrolled_count", "session_count", "task_count", "subtask_count")
    assert [lecture[name] for name in counts] == [0, 0, 0, 0] and lecture["tasks"] == []
    assert lecture["is_enrolled"] is False
    assert lecture["links"]["tasks"] == f"/api/lectures/{lecture['id']}/tasks"
    assert client.get(f"/api/lectures/{lecture['id']}/", headers=kim.headers).json == lecture


def test_the_whole_lecture_holds_its_tasks_and_steps_in_order(client, teaching):
    kim = teaching.instructor()
    lecture = teaching.lecture(kim, steps=(3, 0, 2))
    assert (lecture["task_count"], lecture["subtask_count"]) == (3, 5)
    assert [task["title"] for task in lecture["tasks"]] == ["과제 1", "과제 2", "과제 3"]
    assert [task["order_index"] for task in lecture["tasks"]] == [0, 1, 2]
    first = lecture["tasks"][0]
    assert first["subtask_count"] == 3 and [s["order_index"] for s in first["subtasks"]] == [0, 1, 2]
    assert [s["title"] for s in first["subtasks"]] == ["단계 1", "단계 2", "단계 3"]
    step = first["subtasks"][0]
    assert step["target_action"] == "CLICK" and step["target_package"] == "com.kakao.talk"
    assert step["task_id"] == first["id"] and step["links"]["self"] == f"/api/tasks/subtasks/{step['id']}"
    assert step["created_at"].endswith("+00:00")
    tasks = client.get(f"/api/lectures/{lecture['id']}/tasks", headers=kim.headers).json
    assert tasks == {"items": lecture["tasks"], "total": 3}


def test_an_instructor_lists_their_own_and_a_learner_the_active_ones(client, teaching, accounts):
    kim, lee = teaching.instructor(), teaching.instructor()
    mine = [teaching.lecture(kim, title=f"Kim {n}")["id"] for n in range(3)]
    hidden = teaching.lecture(kim, title="Kim draft", is_active=False)["id"]
    other = teaching.lecture(lee, title="Lee 1")["id"]
    page = client.get("/api/lectures?page_size=2", headers=kim.headers).json
    assert [item["id"] for item in page["items"]] == [hidden, mine[2]]
    assert (page["total"], page["pages"]) == (4, 2) and "tasks" not in page["items"][0]
    second = client.get("/api/lectures?page=2&page_size=2", headers=kim.headers).json
    assert [item["id"] for item in second["items"]] == [mine[1], mine[0]]
    learner = accounts.new()
    available = client.get("/api/lectures?page_size=100", headers=learner.headers).json["items"]
    ids = [item["id"] for item in available]
    assert {*mine, other} <= set(ids) and hidden not in ids
    assert ids.index(other) < ids.index(mine[2])  # newest first
    assert client.get("/api/lectures?view=enrolled", headers=learner.headers).json["total"] == 0
    client.post(f"/api/lectures/{mine[0]}/enroll", headers=learner.headers)
    enrolled = client.get("/api/lectures?view=enrolled", headers=learner.headers).json
    assert [item["id"] for item in enrolled["items"]] == [mine[0]] and enrolled["items"][0]["is_enrolled"] is True
    viewed = client.get("/api/lectures?view=available&page_size=100", headers=kim.headers).json["items"]
    assert hidden not in [item["id"] for item in viewed] and other in [item["id"] for item in viewed]


def test_an_inactive_lecture_is_its_instructors_and_its_enrolled_learners_only(client, teaching, accounts):
    kim, learner, enrolled = teaching.instructor(), accounts.new(), accounts.new()
    lecture = teaching.lecture(kim, steps=(1,))
    assert client.post(f"/api/lectures/{lecture['id']}/enroll", headers=enrolled.headers).status_code == 201
    client.patch(f"/api/lectures/{lecture['id']}", json={"is_active": False}, headers=kim.headers)
    assert client.get(f"/api/lectures/{lecture['id']}", headers=kim.headers).json["is_active"] is False
    assert client.get(f"/api/lectures/{lecture['id']}", headers=enrolled.headers).status_code == 200
    task_id, step_id = lecture["tasks"][0]["id"], lecture["tasks"][0]["subtasks"][0]["id"]
    for path in (
        f"/api/lectures/{lecture['id']}",
        f"/api/lectures/{lecture['id']}/tasks",
        f"/api/tasks/{task_id}",
        f"/api/tasks/subtasks/{step_id}",
    ):
        refused = client.get(path, headers=learner.headers)
        assert refused.status_code == 404 and refused.content_type == "application/problem+json", path
        assert client.get(path, headers=enrolled.headers).status_code == 200, path
    assert client.post(f"/api/lectures/{lecture['id']}/enroll", headers=learner.headers).status_code == 404


def test_only_its_instructor_changes_a_lecture_and_nothing_changes_otherwise(client, teaching, accounts):
    kim, lee, learner = teaching.instructor(), teaching.instructor(), accounts.new()
    lecture = teaching.lecture(kim, steps=(2,))
    before = teaching.rows(lecture["id"])
    for who in (lee, learner):
        for method in ("patch", "delete"):
            response = getattr(client, method)(
                f"/api/lectures/{lecture['id']}", json={"title": "Taken over"}, headers=who.headers
            )
            assert response.status_code == 404 and "among yours" in response.json["detail"], (method, response.json)
    assert teaching.rows(lecture["id"]) == before
    changed = client.patch(
        f"/api/lectures/{lecture['id']}",
        json={"title": "사진 보내기 (개정판)", "thumbnail_url": None},
        headers=kim.headers,
    )
    assert changed.status_code == 200 and changed.json["title"] == "사진 보내기 (개정판)"
    assert changed.json["updated_at"] > lecture["updated_at"] and len(changed.json["tasks"]) == 1


def test_deleting_a_lecture_hides_it_everywhere_but_keeps_the_row(client, teaching, accounts):
    kim, learner = teaching.instructor(), accounts.new()
    lecture = teaching.lecture(kim, steps=(1,))
    client.post(f"/api/lectures/{lecture['id']}/enroll", headers=learner.headers)
    assert client.delete(f"/api/lectures/{lecture['id']}", headers=kim.headers).status_code == 204
    for who in (kim, learner):
        assert client.get(f"/api/lectures/{lecture['id']}", headers=who.headers).status_code == 404
        assert client.get(f"/api/tasks/{lecture['tasks'][0]['id']}", headers=who.headers).status_code == 404
    assert lecture["id"] not in [i["id"] for i in client.get("/api/lectures", headers=kim.headers).json["items"]]
    enrolled = client.get("/api/lectures?view=enrolled", headers=learner.headers).json
    assert enrolled["total"] == 0 and enrolled["items"] == []
    assert client.delete(f"/api/lectures/{lecture['id']}", headers=kim.headers).status_code == 404
    assert client.patch(f"/api/lectures/{lecture['id']}", json={"title": "x"}, headers=kim.headers).status_code == 404
    assert teaching.sql("SELECT deleted_at IS NOT NULL FROM lectures WHERE id = %s", lecture["id"]) == [(True,)]


@pytest.mark.parametrize("status", ["WAITING", "IN_PROGRESS", "PAUSED", "REVIEW_MODE"])
def test_a_lecture_with_a_session_not_ended_is_not_deleted(client, teaching, status):
    kim = teaching.instructor()
    lecture = teaching.lecture(kim)
    teaching.session(kim, lecture["id"], status)
    refused = client.delete(f"/api/lectures/{lecture['id']}", headers=kim.headers)
    assert refused.status_code == 409 and refused.content_type == "application/problem+json"
    assert teaching.read(kim, lecture["id"])["session_count"] == 1


def test_a_lecture_whose_sessions_ended_is_deleted(client, teaching):
    kim = teaching.instructor()
    lecture = teaching.lecture(kim)
    teaching.session(kim, lecture["id"], "ENDED")
    assert client.delete(f"/api/lectures/{lecture['id']}", headers=kim.headers).status_code == 204


def test_enrolling_is_idempotent(client, teaching, accounts):
    kim, learner = teaching.instructor(), accounts.new()
    lecture = teaching.lecture(kim)
    first = client.post(f"/api/lectures/{lecture['id']}/enroll", headers=learner.headers)
    assert first.status_code == 201, first.json
    assert first.json["user_id"] == learner.user["id"] and first.json["lecture"]["enrolled_count"] == 1
    assert first.json["lecture"]["is_enrolled"] is True and first.json["completed_at"] is None
    again = client.post(f"/api/lectures/{lecture['id']}/enroll", headers=learner.headers)
    assert again.status_code == 200 and again.json == first.json
    assert teaching.read(kim, lecture["id"])["enrolled_count"] == 1
    assert teaching.sql("SELECT count(*) FROM lecture_enrollments WHERE lecture_id = %s", lecture["id"]) == [(1,)]


def test_an_instructor_does_not_enroll_in_their_own_lecture(client, teaching):
    kim = teaching.instructor()
    lecture = teaching.lecture(kim)
    refused = client.post(f"/api/lectures/{lecture['id']}/enroll", headers=kim.headers)
    assert refused.status_code == 409 and teaching.read(kim, lecture["id"])["enrolled_count"] == 0


@pytest.mark.parametrize("ident", [str(uuid.uuid4()), "42", "not-a-uuid", "%00", "'; DROP TABLE lectures; --"])
def test_unknown_lecture_ids_are_404s(client, teaching, ident):
    kim = teaching.instructor()
    for method, path in [
        ("GET", f"/api/lectures/{ident}"),
        ("PATCH", f"/api/lectures/{ident}"),
        ("DELETE", f"/api/lectures/{ident}"),
        ("POST", f"/api/lectures/{ident}/enroll"),
        ("GET", f"/api/lectures/{ident}/tasks"),
        ("POST", f"/api/lectures/{ident}/tasks"),
    ]:
        response = client.open(path, method=method, json={"title": "x"}, headers=kim.headers)
        assert response.status_code == 404 and response.content_type == "application/problem+json", (method, path)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": 5}, "title"),
        ({"title": ["a"]}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"title": "line\nbreak"}, "title"),
        ({"title": "bidi \u202e override"}, "title"),
        ({"title": "ok", "description": "x" * 5001}, "description"),
        ({"title": "ok", "description": 3}, "description"),
        ({"title": "ok", "thumbnail_url": "javascript:alert(1)"}, "thumbnail_url"),
        ({"title": "ok", "thumbnail_url": "https://e.com/" + "x" * 500}, "thumbnail_url"),
        ({"title": "ok", "is_active": "yes"}, "is_active"),
        ({"title": "ok", "is_active": 1}, "is_active"),
        ({"title": "ok", "instructor_id": str(uuid.uuid4())}, "instructor_id"),
    ],
)
def test_bad_lecture_bodies_are_422s_that_store_nothing(client, teaching, body, field):
    kim = teaching.instructor()
    response = client.post("/api/lectures", json=body, headers=kim.headers)
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json"
    assert field in str(response.json.get("errors") or response.json), response.json
    assert teaching.sql("SELECT count(*) FROM lectures WHERE instructor_id = %s", kim.user["id"]) == [(0,)]


@pytest.mark.parametrize("body", [{}, {"title": None}, {"is_active": "false"}, {"title": "x" * 256}, {"nope": 1}])
def test_bad_patches_are_422s_that_change_nothing(client, teaching, body):
    kim = teaching.instructor()
    lecture = teaching.lecture(kim)
    before = teaching.rows(lecture["id"])
    response = client.patch(f"/api/lectures/{lecture['id']}", json=body, headers=kim.headers)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert teaching.rows(lecture["id"]) == before


def test_a_body_that_is_not_json_is_415(client, teaching):
    kim = teaching.instructor()
    response = client.post("/api/lectures", data="title=x", headers=kim.headers, content_type="text/plain")
    assert response.status_code == 415


@pytest.mark.parametrize("query", ["view=all", "page=0", "page_size=1000", "page=x"])
def test_bad_list_queries_are_422s(client, teaching, query):
    assert client.get(f"/api/lectures?{query}", headers=teaching.instructor().headers).status_code == 422


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Basic x"])
def test_bad_tokens_are_401s_that_store_nothing(client, teaching, header):
    kim = teaching.instructor()
    lecture = teaching.lecture(kim, steps=(1,))
    before = teaching.rows(lecture["id"])
    headers = {"Authorization": header} if header else {}
    for method, path in [
        ("GET", "/api/lectures"),
        ("POST", "/api/lectures"),
        ("GET", f"/api/lectures/{lecture['id']}"),
        ("PATCH", f"/api/lectures/{lecture['id']}"),
        ("DELETE", f"/api/lectures/{lecture['id']}"),
        ("POST", f"/api/lectures/{lecture['id']}/enroll"),
        ("POST", f"/api/lectures/{lecture['id']}/tasks"),
        ("POST", "/api/users/me/upgrade-to-instructor"),
    ]:
        response = client.open(path, method=method, json={"title": "x"}, headers=headers)
        assert response.status_code == 401, (method, path, response.status_code)
    assert teaching.rows(lecture["id"]) == before


def test_a_retried_create_with_its_idempotency_key_makes_one_lecture(client, teaching):
    kim = teaching.instructor()
    headers = {**kim.headers, "Idempotency-Key": uuid.uuid4().hex}
    first = client.post("/api/lectures", json={"title": "One"}, headers=headers)
    again = client.post("/api/lectures", json={"title": "One"}, headers=headers)
    assert first.status_code == again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert first.json["id"] == again.json["id"]
    assert teaching.sql("SELECT count(*) FROM lectures WHERE instructor_id = %s", kim.user["id"]) == [(1,)]
