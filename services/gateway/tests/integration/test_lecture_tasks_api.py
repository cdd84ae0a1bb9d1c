"""A lecture's tasks and their ordered steps: written one by one or as a whole list, moved and removed with the order
kept dense (0, 1, 2, ... under concurrent changes too); only the lecture's instructor changes them (404 for anyone
else, nothing changed); the structure waits while a session is live; bad input is a problem+json that stores nothing."""

import threading
import uuid

import pytest
from lectures_kit import STEP, Teaching

TARGET_ACTIONS = ["CLICK", "LONG_CLICK", "SCROLL", "INPUT", "NAVIGATE", "SWIPE", "BACK", "HOME", "WAIT"]


@pytest.fixture
def teaching(client, accounts, database_url):
    return Teaching(client, accounts, database_url)


@pytest.fixture
def kim(teaching):
    return teaching.instructor()


def titles(items: list[dict]) -> list[str]:
    return [item["title"] for item in items]


def test_a_task_is_written_with_its_steps_and_read_back(client, teaching, kim):
    lecture = teaching.lecture(kim)
    task = teaching.task(kim, lecture["id"], description="앨범에서 골라 보냅니다.", subtasks=teaching.steps(3))
    assert titles(task["subtasks"]) == ["단계 1", "단계 2", "단계 3"] and task["subtask_count"] == 3
    assert [s["order_index"] for s in task["subtasks"]] == [0, 1, 2] and task["order_index"] == 0
    assert task["lecture_id"] == lecture["id"] and task["lecture_title"] == lecture["title"]
    assert client.get(f"/api/tasks/{task['id']}", headers=kim.headers).json == task
    step = task["subtasks"][1]
    assert client.get(f"/api/tasks/subtasks/{step['id']}", headers=kim.headers).json == step
    assert {name: step[name] for name in STEP if name != "title"} == {k: v for k, v in STEP.items() if k != "title"}
    assert step["description"] == "" and step["target_view_id"] is None and step["target_text"] is None


@pytest.mark.parametrize("action", TARGET_ACTIONS)
def test_every_target_action_is_taken(teaching, kim, action):
    task = teaching.task(kim, teaching.lecture(kim)["id"])
    assert teaching.step(kim, task["id"], target_action=action)["target_action"] == action


def test_tasks_go_where_asked_and_move_with_the_order_kept_dense(client, teaching, kim):
    lecture = teaching.lecture(kim)
    for name in ("B", "D"):
        teaching.task(kim, lecture["id"], title=name)
    teaching.task(kim, lecture["id"], title="A", order_index=0)
    teaching.task(kim, lecture["id"], title="C", order_index=2)
    teaching.task(kim, lecture["id"], title="E", order_index=999)
    tasks = teaching.read(kim, lecture["id"])["tasks"]
    assert titles(tasks) == ["A", "B", "C", "D", "E"] and [t["order_index"] for t in tasks] == [0, 1, 2, 3, 4]
    moved = client.patch(f"/api/tasks/{tasks[4]['id']}", json={"order_index": 1}, headers=kim.headers)
    assert moved.status_code == 200 and moved.json["order_index"] == 1
    assert titles(teaching.read(kim, lecture["id"])["tasks"]) == ["A", "E", "B", "C", "D"]
    client.patch(f"/api/tasks/{tasks[0]['id']}", json={"order_index": 100, "title": "A'"}, headers=kim.headers)
    assert client.delete(f"/api/tasks/{tasks[2]['id']}", headers=kim.headers).status_code == 204
    tasks = teaching.read(kim, lecture["id"])["tasks"]
    assert titles(tasks) == ["E", "B", "D", "A'"] and [t["order_index"] for t in tasks] == [0, 1, 2, 3]
    assert client.get(f"/api/tasks/{lecture['id']}", headers=kim.headers).status_code == 404


def test_steps_go_where_asked_and_move_with_the_order_kept_dense(client, teaching, kim):
    task = teaching.task(kim, teaching.lecture(kim)["id"])
    for name in ("B", "D"):
        teaching.step(kim, task["id"], title=name)
    first = teaching.step(kim, task["id"], title="A", order_index=0)
    assert first["order_index"] == 0
    teaching.step(kim, task["id"], title="C", order_index=2)
    assert teaching.positions(task["id"]) == [("A", 0), ("B", 1), ("C", 2), ("D", 3)]
    moved = client.patch(f"/api/tasks/subtasks/{first['id']}", json={"order_index": 2}, headers=kim.headers)
    assert moved.status_code == 200 and moved.json["order_index"] == 2
    assert teaching.positions(task["id"]) == [("B", 0), ("C", 1), ("A", 2), ("D", 3)]
    edited = client.patch(
        f"/api/tasks/subtasks/{first['id']}",
        json={"guide_text": "맨 위의 '앨범'을 누르세요.", "target_action": "LONG_CLICK", "target_view_id": None},
        headers=kim.headers,
    )
    assert edited.status_code == 200 and edited.json["target_action"] == "LONG_CLICK"
    assert edited.json["order_index"] == 2 and edited.json["title"] == "A" and edited.json["target_view_id"] is None
    assert client.delete(f"/api/tasks/subtasks/{first['id']}", headers=kim.headers).status_code == 204
    assert teaching.positions(task["id"]) == [("B", 0), ("C", 1), ("D", 2)]
    assert client.get(f"/api/tasks/subtasks/{first['id']}", headers=kim.headers).status_code == 404


def test_the_whole_list_replaces_the_steps_keeping_the_named_ones(client, teaching, kim):
    task = teaching.task(kim, teaching.lecture(kim)["id"], subtasks=teaching.steps(3))
    one, two, three = task["subtasks"]
    body = {
        "subtasks": [
            {"id": three["id"], "title": "세 번째가 처음으로", "target_action": "SCROLL"},
            {"title": "새 단계", "target_action": "INPUT", "guide_text": "메시지를 입력하세요."},
            {"id": one["id"], "title": "단계 1"},
        ]
    }
    response = client.post(f"/api/tasks/{task['id']}/subtasks", json=body, headers=kim.headers)
    assert response.status_code == 200, response.json
    result = response.json
    assert (result["created_count"], result["updated_count"], result["deleted_count"]) == (1, 2, 1)
    assert result["status"] == "updated" and result["task_id"] == task["id"]
    assert titles(result["subtasks"]) == ["세 번째가 처음으로", "새 단계", "단계 1"]
    assert [s["id"] for s in result["subtasks"]][::2] == [three["id"], one["id"]]
    assert [s["order_index"] for s in result["subtasks"]] == [0, 1, 2]
    assert result["subtasks"][2]["target_action"] is None  # an item is the whole step: left out, its default
    assert result["subtasks"][0]["created_at"] == three["created_at"]
    assert client.get(f"/api/tasks/subtasks/{two['id']}", headers=kim.headers).status_code == 404
    assert client.get(f"/api/tasks/{task['id']}", headers=kim.headers).json["subtasks"] == result["subtasks"]
    emptied = client.post(f"/api/tasks/{task['id']}/subtasks", json={"subtasks": []}, headers=kim.headers)
    assert emptied.json["deleted_count"] == 3 and teaching.positions(task["id"]) == []


@pytest.mark.parametrize(
    "items",
    [
        lambda own, foreign: [{"id": own, "title": "a"}, {"id": own, "title": "b"}],  # named twice
        lambda own, foreign: [{"id": foreign, "title": "another task's step"}],
        lambda own, foreign: [{"id": str(uuid.uuid4()), "title": "no such step"}],
        lambda own, foreign: [{"title": "ok"}, {"title": ""}],
        lambda own, foreign: [{"title": "ok", "target_action": "TAP"}],
        lambda own, foreign: [{"title": f"s{n}"} for n in range(101)],
        lambda own, foreign: [{"id": "x", "title": "ok"}],
        lambda own, foreign: "not a list",
        lambda own, foreign: [None],
        lambda own, foreign: None,
    ],
)
def test_a_bad_whole_list_is_a_422_that_changes_nothing(client, teaching, kim, items):
    lecture = teaching.lecture(kim, steps=(2, 1))
    task, other = lecture["tasks"]
    before = teaching.rows(lecture["id"])
    body = {"subtasks": items(task["subtasks"][0]["id"], other["subtasks"][0]["id"])}
    response = client.post(f"/api/tasks/{task['id']}/subtasks", json=body, headers=kim.headers)
    assert response.status_code == 422 and response.content_type == "application/problem+json", response.json
    assert teaching.rows(lecture["id"]) == before


def test_one_step_or_the_list_never_both(client, teaching, kim):
    task = teaching.task(kim, teaching.lecture(kim)["id"])
    both = {"title": "one", "subtasks": [{"title": "many"}]}
    response = client.post(f"/api/tasks/{task['id']}/subtasks", json=both, headers=kim.headers)
    assert response.status_code == 422 and teaching.positions(task["id"]) == []
    missing = client.post(f"/api/tasks/{task['id']}/subtasks", json={"guide_text": "no title"}, headers=kim.headers)
    assert missing.status_code == 422 and "title" in str(missing.json["errors"])


def test_a_task_holds_at_most_100_steps(client, teaching, kim):
    task = teaching.task(kim, teaching.lecture(kim)["id"], subtasks=teaching.steps(100))
    refused = client.post(f"/api/tasks/{task['id']}/subtasks", json=STEP, headers=kim.headers)
    assert refused.status_code == 409 and len(teaching.positions(task["id"])) == 100


def test_steps_added_at_once_keep_a_dense_order(app, teaching, kim):
    task = teaching.task(kim, teaching.lecture(kim)["id"], subtasks=teaching.steps(2))
    statuses, start = [], threading.Barrier(8)

    def add(n: int) -> None:
        client = app.test_client()
        start.wait()
        body = {**STEP, "title": f"동시 {n}", "order_index": n % 3}
        statuses.append(client.post(f"/api/tasks/{task['id']}/subtasks", json=body, headers=kim.headers).status_code)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * 8
    assert [position for _, position in teaching.positions(task["id"])] == list(range(10))


def write_attempts(lecture: dict) -> list[tuple[str, str, dict]]:
    task, step = lecture["tasks"][0], lecture["tasks"][0]["subtasks"][0]
    return [
        ("POST", f"/api/lectures/{lecture['id']}/tasks", {"title": "침입"}),
        ("PATCH", f"/api/tasks/{task['id']}", {"title": "침입"}),
        ("PATCH", f"/api/tasks/{task['id']}", {"order_index": 1}),
        ("DELETE", f"/api/tasks/{task['id']}", {}),
        ("POST", f"/api/tasks/{task['id']}/subtasks", {"title": "침입"}),
        ("POST", f"/api/tasks/{task['id']}/subtasks", {"subtasks": []}),
        ("PATCH", f"/api/tasks/subtasks/{step['id']}", {"guide_text": "침입"}),
        ("PATCH", f"/api/tasks/subtasks/{step['id']}", {"order_index": 1}),
        ("DELETE", f"/api/tasks/subtasks/{step['id']}", {}),
    ]


def test_another_instructor_or_a_learner_changes_nothing(client, teaching, accounts, kim):
    lee, learner = teaching.instructor(), accounts.new()
    lecture = teaching.lecture(kim, steps=(2, 1))
    client.post(f"/api/lectures/{lecture['id']}/enroll", headers=learner.headers)
    before = teaching.rows(lecture["id"])
    for who in (lee, learner):
        for method, path, body in write_attempts(lecture):
            response = client.open(path, method=method, json=body, headers=who.headers)
            assert response.status_code == 404, (method, path, response.status_code)
            assert response.content_type == "application/problem+json"
            assert response.json["detail"].endswith(("among yours", "in your lectures")), response.json
        assert client.get(f"/api/tasks/{lecture['tasks'][0]['id']}", headers=who.headers).status_code == 200
    assert teaching.rows(lecture["id"]) == before


@pytest.mark.parametrize("status", ["IN_PROGRESS", "PAUSED", "REVIEW_MODE"])
def test_the_structure_waits_while_a_session_is_live_but_texts_change(client, teaching, kim, status):
    lecture = teaching.lecture(kim, steps=(2, 1))
    teaching.session(kim, lecture["id"], status)
    task, step = lecture["tasks"][0], lecture["tasks"][0]["subtasks"][0]
    before = teaching.rows(lecture["id"])
    for method, path, body in write_attempts(lecture):
        if method == "PATCH" and "order_index" not in body:
            continue
        response = client.open(path, method=method, json=body, headers=kim.headers)
        assert response.status_code == 409, (method, path, response.status_code)
    assert teaching.rows(lecture["id"]) == before
    fixed = client.patch(f"/api/tasks/subtasks/{step['id']}", json={"guide_text": "오타 수정"}, headers=kim.headers)
    assert fixed.status_code == 200 and fixed.json["guide_text"] == "오타 수정"
    same_order = {"subtasks": [{**s, "guide_text": "다시"} for s in task["subtasks"]]}
    for item in same_order["subtasks"]:
        for name in ("task_id", "order_index", "created_at", "updated_at", "links"):
            item.pop(name)
    assert client.post(f"/api/tasks/{task['id']}/subtasks", json=same_order, headers=kim.headers).status_code == 200
    assert client.patch(f"/api/tasks/{task['id']}", json={"title": "고친 제목"}, headers=kim.headers).status_code == 200


def test_a_waiting_session_leaves_the_structure_open(client, teaching, kim):
    lecture = teaching.lecture(kim, steps=(1,))
    teaching.session(kim, lecture["id"], "WAITING")
    teaching.step(kim, lecture["tasks"][0]["id"], title="추가")


@pytest.mark.parametrize(
    "body",
    [
        {"title": 5},
        {"title": ""},
        {"title": "x" * 256},
        {"title": "tab\there"},
        {"title": "ok", "target_action": "TAP"},
        {"title": "ok", "target_action": "click"},
        {"title": "ok", "target_action": 1},
        {"title": "ok", "order_index": -1},
        {"title": "ok", "order_index": "1"},
        {"title": "ok", "order_index": 1.5},
        {"title": "ok", "order_index": True},
        {"title": "ok", "order_index": 2**31},
        {"title": "ok", "guide_text": "x" * 2001},
        {"title": "ok", "voice_guide_text": ["x"]},
        {"title": "ok", "target_element_hint": "x" * 1001},
        {"title": "ok", "target_package": "x" * 256},
        {"title": "ok", "target_package": "line\nbreak"},
        {"title": "ok", "description": None},
        {"title": "ok", "position": 1},
        {"title": "ok", "task_id": str(uuid.uuid4())},
    ],
)
def test_bad_step_bodies_are_422s_that_store_nothing(client, teaching, kim, body):
    lecture = teaching.lecture(kim, steps=(1,))
    task, step = lecture["tasks"][0], lecture["tasks"][0]["subtasks"][0]
    before = teaching.rows(lecture["id"])
    created = client.post(f"/api/tasks/{task['id']}/subtasks", json=body, headers=kim.headers)
    assert created.status_code == 422 and created.content_type == "application/problem+json", created.json
    changed = client.patch(f"/api/tasks/subtasks/{step['id']}", json=body, headers=kim.headers)
    assert changed.status_code == 422, changed.json
    assert teaching.rows(lecture["id"]) == before


@pytest.mark.parametrize(
    "body",
    [{}, {"title": None}, {"title": ["x"]}, {"order_index": "first"}, {"subtasks": "x"}, {"lecture_id": "x"}],
)
def test_bad_task_bodies_are_422s_that_store_nothing(client, teaching, kim, body):
    lecture = teaching.lecture(kim, steps=(1,))
    before = teaching.rows(lecture["id"])
    response = client.patch(f"/api/tasks/{lecture['tasks'][0]['id']}", json=body, headers=kim.headers)
    assert response.status_code == 422, response.json
    created = client.post(f"/api/lectures/{lecture['id']}/tasks", json=body, headers=kim.headers)
    assert created.status_code == 422, created.json
    assert teaching.rows(lecture["id"]) == before


@pytest.mark.parametrize("ident", [str(uuid.uuid4()), "17", "subtasks-x", "'; DROP TABLE lecture_tasks; --"])
def test_unknown_task_and_step_ids_are_404s(client, kim, ident):
    for method, path in [
        ("GET", f"/api/tasks/{ident}"),
        ("PATCH", f"/api/tasks/{ident}"),
        ("DELETE", f"/api/tasks/{ident}"),
        ("POST", f"/api/tasks/{ident}/subtasks"),
        ("GET", f"/api/tasks/subtasks/{ident}"),
        ("PATCH", f"/api/tasks/subtasks/{ident}"),
        ("DELETE", f"/api/tasks/subtasks/{ident}"),
    ]:
        response = client.open(path, method=method, json={"title": "x"}, headers=kim.headers)
        assert response.status_code == 404 and response.content_type == "application/problem+json", (method, path)


def test_a_step_id_is_no_task_id_and_the_reverse(client, teaching, kim):
    lecture = teaching.lecture(kim, steps=(1,))
    task, step = lecture["tasks"][0], lecture["tasks"][0]["subtasks"][0]
    assert client.get(f"/api/tasks/{step['id']}", headers=kim.headers).status_code == 404
    assert client.get(f"/api/tasks/subtasks/{task['id']}", headers=kim.headers).status_code == 404
    assert client.patch(f"/api/tasks/{lecture['id']}", json={"title": "x"}, headers=kim.headers).status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."])
def test_bad_tokens_are_401s_that_change_nothing(client, teaching, kim, header):
    lecture = teaching.lecture(kim, steps=(1,))
    before = teaching.rows(lecture["id"])
    headers = {"Authorization": header} if header else {}
    for method, path, body in write_attempts(lecture):
        assert client.open(path, method=method, json=body, headers=headers).status_code == 401, (method, path)
    assert teaching.rows(lecture["id"]) == before


def test_a_retried_step_with_its_idempotency_key_is_added_once(client, teaching, kim):
    task = teaching.task(kim, teaching.lecture(kim)["id"])
    headers = {**kim.headers, "Idempotency-Key": uuid.uuid4().hex}
    first = client.post(f"/api/tasks/{task['id']}/subtasks", json=STEP, headers=headers)
    again = client.post(f"/api/tasks/{task['id']}/subtasks", json=STEP, headers=headers)
    assert first.status_code == again.status_code == 201 and first.json["id"] == again.json["id"]
    assert len(teaching.positions(task["id"])) == 1
