"""Learners' activity end to end: the gateway, its relay and the activity consumer, POST in, rows stored, once each,
through the classroom.activity stream; the consumer SIGKILLed and started again loses and repeats nothing, and the
instructor's step analysis counts what was stored."""

import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from e2e_stack import wait_until


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def start_consumer(stack) -> subprocess.Popen:
    log = open(Path(stack.workdir) / "activity-consumer.log", "ab")  # noqa: SIM115 - lives as long as the process
    command = [sys.executable, "-m", "gateway.classroom.activity_consumer"]
    process = subprocess.Popen(command, cwd=stack.workdir, env=stack.env, stdout=log, stderr=log)
    stack.processes["activity-consumer"] = process
    return process


def session_with_learners(stack) -> tuple[dict, dict, list[str], list[dict]]:
    """An instructor's started session of a 2-step lecture and two learners joined by code."""
    user = stack.sign_in()
    ok(stack.http.post("/api/users/me/upgrade-to-instructor"))
    login = ok(
        stack.http.post(
            "/api/auth/login", json={"username": user["username"], "password": "correct horse battery staple"}
        )
    )
    teacher = {"Authorization": f"Bearer {login['access_token']}"}
    stack.http.headers.update(teacher)
    lecture = ok(stack.http.post("/api/lectures", json={"title": "카카오톡 사진 보내기"}), 201)
    steps = [{"title": "+ 버튼 누르기", "target_action": "CLICK"}, {"title": "앨범 고르기", "target_action": "CLICK"}]
    ok(stack.http.post(f"/api/lectures/{lecture['id']}/tasks", json={"title": "사진", "subtasks": steps}), 201)
    whole = ok(stack.http.get(f"/api/lectures/{lecture['id']}"))
    step_ids = [step["id"] for task in whole["tasks"] for step in task["subtasks"]]
    session = ok(stack.http.post(f"/api/lectures/{lecture['id']}/sessions", json={"title": "오전 수업"}), 201)
    ok(stack.http.post(f"/api/sessions/{session['id']}/start", json={}))
    learners = []
    for device in ("phone-a", "phone-b"):
        joined = {"code": session["code"], "device_id": device, "display_name": device}
        token = ok(stack.http.post("/api/sessions/join", json=joined, headers={"Authorization": ""}), 201)
        learners.append({"Authorization": f"Bearer {token['participant_token']}"})
    return teacher, session, step_ids, learners


def batch(step: str, size: int) -> dict:
    now = datetime.now(UTC).isoformat()
    event = {
        "event_type": "VIEW_CLICKED",
        "timestamp": now,
        "subtask": step,
        "package": "com.kakao.talk",
        "x": 5,
        "y": 9,
    }
    return {"logs": [event | {"element": f"id/item_{n}"} for n in range(size)]}


def test_activity_posted_is_stored_once_even_with_the_consumer_killed_between(stack, sql):
    stack.start("gateway")
    stack.start("relay")
    consumer = start_consumer(stack)
    teacher, session, steps, (a, b) = session_with_learners(stack)
    ids = ok(stack.http.post("/api/logs/batch", json=batch(steps[0], 100), headers=a), 202)["event_ids"]
    for _ in range(3):
        single = {"event_type": "SCROLL", "subtask": steps[1], "device_id": "phone-b"}
        ids.append(ok(stack.http.post("/api/logs/activity/anonymous", json=single, headers=b), 202)["event_id"])

    def stored() -> list[str]:
        rows = sql("SELECT event_id::text FROM activity_logs WHERE session_id = %s", session["id"])
        return [row[0] for row in rows]

    assert wait_until(lambda: len(stored()) == 103, 60), stack.logs("activity-consumer") + stack.logs("relay")
    assert sorted(stored()) == sorted(ids)

    consumer.send_signal(signal.SIGKILL)
    consumer.wait(timeout=10)
    del stack.processes["activity-consumer"]
    later = ok(stack.http.post("/api/logs/batch", json=batch(steps[0], 100), headers=b), 202)["event_ids"]
    start_consumer(stack)
    assert wait_until(lambda: len(stored()) == 203, 60), stack.logs("activity-consumer")
    assert sorted(stored()) == sorted(ids + later)  # each once: none lost while it was down, none twice after

    analysis = ok(stack.http.get(f"/api/dashboard/statistics/lecture/{session['lecture']['id']}/step-analysis",
                                 headers=teacher))  # fmt: skip
    assert [s["activity_events"] for s in analysis["step_analysis"]] == [200, 3]
    operator = {"Authorization": f"Bearer {stack.env['OPERATOR_TOKEN']}"}
    assert wait_until(lambda: _lag(stack, operator) == 0, 30), stack.http.get(
        "/api/health/detailed", headers=operator
    ).text


def _lag(stack, operator: dict) -> int | None:
    """The activity consumer's lag in stream messages, as /api/health/detailed reports it (None: not reported)."""
    checks = stack.http.get("/api/health/detailed", headers=operator).json()["checks"]
    streams = [s for s in checks["streams"].get("streams", []) if s["name"] == "classroom.activity"]
    readers = [r for s in streams for r in s.get("readers", []) if r["reader"] == "activity-store"]
    return readers[0]["lag_messages"] if readers else None
