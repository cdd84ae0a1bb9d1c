"""Classroom AI work end to end: the gateway, its relay and the llm-worker (offline provider), HTTP in, result out.
A learner who joined by code asks for help and reads the diagnosis of what they did; a recording is analysed into
its steps and hesitations; a redelivered analysis message gives one analysis."""

import json
import time
from datetime import UTC, datetime, timedelta

import pika
from e2e_stack import wait_until

STEP = {
    "title": "설정 열기",
    "target_action": "CLICK",
    "target_element_hint": "화면 오른쪽 위 톱니바퀴 아이콘",
    "target_text": "설정",
    "guide_text": "1. 화면 오른쪽 위의 톱니바퀴(설정)를 누르세요. 2. '연결'을 누르세요.",
}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def signed_up(stack) -> dict:
    """A fresh user signed in (the stack's client then sends its token); its headers."""
    stack.sign_in()
    return {"Authorization": stack.http.headers["Authorization"]}


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def lecture_session(stack) -> tuple[dict, dict, list[str]]:
    """An instructor's started session of a lecture of two steps: (its headers, the session, the step ids)."""
    user = stack.sign_in()
    ok(stack.http.post("/api/users/me/upgrade-to-instructor"))
    teacher = signed_in_again(stack, user["username"])
    lecture = ok(stack.http.post("/api/lectures", json={"title": "스마트폰 기초"}), 201)
    steps = [STEP, {**STEP, "title": "연결 열기", "target_text": "연결", "guide_text": "'연결'을 누르세요."}]
    ok(stack.http.post(f"/api/lectures/{lecture['id']}/tasks", json={"title": "설정", "subtasks": steps}), 201)
    whole = ok(stack.http.get(f"/api/lectures/{lecture['id']}"))
    step_ids = [step["id"] for task in whole["tasks"] for step in task["subtasks"]]
    session = ok(stack.http.post(f"/api/lectures/{lecture['id']}/sessions", json={"title": "오전 수업"}), 201)
    ok(stack.http.post(f"/api/sessions/{session['id']}/start", json={}))
    return teacher, session, step_ids


def signed_in_again(stack, username: str) -> dict:
    """Sign the instructor in again so the token carries the new role."""
    login = {"username": username, "password": "correct horse battery staple"}
    tokens = ok(stack.http.post("/api/auth/login", json=login))
    stack.http.headers["Authorization"] = f"Bearer {tokens['access_token']}"
    return {"Authorization": stack.http.headers["Authorization"]}


def taps(element: str, count: int) -> list[dict]:
    now = datetime.now(UTC)
    return [
        {"event_type": "VIEW_CLICKED", "occurred_at": (now - timedelta(seconds=count - i)).isoformat(),
         "screen": "홈", "element": element}
        for i in range(count)
    ]  # fmt: skip


def analysed(stack, path: str, headers: dict, timeout: float = 60) -> dict:
    body = wait_until(
        lambda: (b := stack.http.get(path, headers=headers).json())["analysis_status"] in ("completed", "failed") and b,
        timeout,
        0.02,
    )
    assert body, f"{path} never analysed\n{stack.logs('relay')}\n{stack.logs('llm-worker')}"
    return body


def test_a_learner_joined_by_code_asks_for_help_and_reads_the_diagnosis(stack, sql):
    for name in ("gateway", "relay", "llm-worker"):
        stack.start(name)
    teacher, session, steps = lecture_session(stack)
    joined = ok(stack.http.post("/api/sessions/join", json={"code": session["code"], "device_id": "tab-7",
                                                           "display_name": "김영희"}), 201)  # fmt: skip
    learner = bearer(joined["participant_token"])
    body = {"subtask_id": steps[0], "context": {"recent_activity": taps("검색", 3)}}
    asked = ok(stack.http.post("/api/help/request", json=body, headers=learner), 201)
    pending = ok(stack.http.get("/api/dashboard/help-requests/pending", headers=teacher))
    assert [item["id"] for item in pending["items"]] == [asked["id"]]
    done = analysed(stack, f"/api/help/request/{asked['id']}", learner)
    assert (done["status"], done["analysis_status"]) == ("ANALYZING", "completed"), done
    analysis = done["analysis"]
    assert "‘검색’을 3번 누르셨지만" in analysis["problem_diagnosis"], analysis  # noqa: RUF001 - the quotes it uses
    assert analysis["step_by_step_solution"][0] == "화면 오른쪽 위의 톱니바퀴(설정)를 누르세요."
    assert analysis["estimated_difficulty"] == "EASY" and 40 < analysis["confidence_score"] < 100
    query = (
        "SELECT payload->>'type' FROM outbox WHERE message_type = 'SessionEvent' AND payload->>'session_id' = %s "
        "ORDER BY (payload->>'seq')::int"
    )
    kinds = [row[0] for row in sql(query, session["id"])]
    assert kinds.count("help_requested") == 1 and kinds.count("help_analyzed") == 1
    rated = {"help_request_id": asked["id"], "rating": 5, "text": "찾았어요"}
    assert ok(stack.http.post("/api/help/feedback", json=rated, headers=learner))["rating"] == 5
    resolved = ok(stack.http.post(f"/api/help/request/{asked['id']}/resolve", headers=teacher))
    assert resolved["status"] == "RESOLVED"
    assert ok(stack.http.get("/api/dashboard/help-requests/pending", headers=teacher))["total"] == 0


def test_a_recording_is_analysed_into_steps_and_hesitations(stack):
    for name in ("gateway", "relay", "llm-worker"):
        stack.start(name)
    owner = signed_up(stack)
    recording = ok(stack.http.post("/api/recordings", json={"title": "와이파이 켜는 법"}, headers=owner), 201)
    start = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    moments = [(0, "SCREEN_CHANGE", "홈", None), (1, "VIEW_CLICKED", "홈", "설정"), (2, "SCREEN_CHANGE", "설정", None),
               (14, "VIEW_CLICKED", "설정", "연결"), (15, "VIEW_CLICKED", "설정", "연결"),
               (16, "VIEW_CLICKED", "설정", "연결"), (17, "BACK", None, None)]  # fmt: skip
    batch = [{"event_type": kind, "timestamp": (start + timedelta(seconds=s)).isoformat(), "screen": screen,
              "element": element} for s, kind, screen, element in moments]  # fmt: skip
    path = f"/api/recordings/{recording['id']}"
    ok(stack.http.post(f"{path}/save-events-batch", json={"events": batch[:4]}, headers=owner), 201)
    ok(stack.http.post(f"{path}/save-events-batch", json={"events": batch[4:]}, headers=owner), 201)
    ok(stack.http.post(f"{path}/stop", headers=owner))
    ok(stack.http.post(f"{path}/analyze", headers=owner), 202)
    finished = ("ANALYZED", "FAILED")
    done = wait_until(lambda: (b := stack.http.get(path, headers=owner).json())["status"] in finished and b, 60, 0.02)
    assert done and done["status"] == "ANALYZED", (done, stack.logs("llm-worker"))
    analysis = done["analysis"]
    assert [s["action"] for s in analysis["steps"]] == ["NAVIGATE", "CLICK", "NAVIGATE", "CLICK", "CLICK", "CLICK",
                                                         "BACK"]  # fmt: skip
    assert [h["waited_ms"] for h in analysis["hesitations"]][:2] == [12000, 2000]
    assert "연달아 3번" in analysis["hesitations"][1]["reason"]
    inbox = "/api/notifications"
    told = lambda: [n["body"] for n in stack.http.get(inbox, headers=owner).json()["items"]]  # noqa: E731
    assert wait_until(lambda: "'와이파이 켜는 법': 7 steps, 2 hesitations." in told(), 10), told()


def test_a_redelivered_help_analysis_gives_one_analysis(stack, stack_env, sql):
    stack.start("gateway")
    _, session, _ = lecture_session(stack)
    kim = signed_up(stack)
    ok(stack.http.post(f"/api/sessions/{session['id']}/join", json={}, headers=kim), 201)
    asked = ok(stack.http.post("/api/help/request", json={"session_id": session["id"]}, headers=kim), 201)
    [(payload, routing_key)] = sql(
        "SELECT payload, routing_key FROM outbox WHERE message_type = 'AnalyzeHelpRequest' "
        "AND payload->>'help_request_id' = %s", asked["id"],
    )  # fmt: skip
    connection = pika.BlockingConnection(pika.URLParameters(stack_env["AMQP_URL"]))
    channel = connection.channel()
    channel.confirm_delivery()
    properties = pika.BasicProperties(message_id="help-twice", type="AnalyzeHelpRequest", delivery_mode=2)
    for _ in range(2):  # no relay: the same message delivered twice, as after a lost ack
        channel.basic_publish("jobs", routing_key, json.dumps(payload).encode(), properties)
    connection.close()
    stack.start("llm-worker")
    done = analysed(stack, f"/api/help/request/{asked['id']}", kim)
    assert done["analysis_status"] == "completed", done
    time.sleep(1)  # the second delivery, if it had any effect, would have had it by now
    query = (
        "SELECT count(*) FROM outbox WHERE message_type = 'SessionEvent' AND payload->>'type' = 'help_analyzed' "
        "AND payload->>'session_id' = %s"
    )
    analysed_events = sql(query, session["id"])
    assert analysed_events == [(1,)]
    told = sql(  # the requester's, not another test's on the same database
        "SELECT count(*) FROM notifications WHERE type = 'help_request.completed' "
        "AND user_id = (SELECT user_id FROM help_requests WHERE id = %s)",
        asked["id"],
    )
    assert told == [(1,)]
