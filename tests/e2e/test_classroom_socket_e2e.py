"""The classroom's sockets end to end: the gateway (gunicorn), its relay and the notifier, as real processes.

An instructor, a learner by code and a signed-in learner on one session's socket, the instructor's dashboard on
the lecture's: the controls' events reach everyone in seq order; a learner's step_complete and request_help over
the socket are the HTTP calls (the gateway records them and its events come back); a learner who closes the app
is participant_left for the instructor and back when they join again, resuming where they were.
"""

import itertools
import sys
import time
from pathlib import Path

import httpx
import pytest
from e2e_stack import ROOT, free_port

from shared.testing import wait_until

sys.path.insert(0, str(ROOT / "services/notifier/tests/support"))
from notifier_classroom import SocketClient
from notifier_clients import LoopThread

PASSWORD = "correct horse battery staple"  # Stack.sign_in's


@pytest.fixture
def push_loop():
    loop = LoopThread()
    yield loop
    loop.close()


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json()


def token_of(stack, username: str) -> str:
    login = {"username": username, "password": PASSWORD}
    return ok(stack.http.post("/api/auth/login", json=login))["access_token"]


def classroom(stack) -> tuple[str, dict, dict, list[str]]:
    """An instructor's token, their lecture of two steps and a WAITING session of it, the step ids."""
    user = stack.sign_in()
    ok(stack.http.post("/api/users/me/upgrade-to-instructor"))
    teacher = token_of(stack, user["username"])
    stack.http.headers["Authorization"] = f"Bearer {teacher}"
    lecture = ok(stack.http.post("/api/lectures", json={"title": "스마트폰 기초"}), 201)
    steps = [{"title": "설정 열기", "target_action": "CLICK"}, {"title": "연결 누르기", "target_action": "CLICK"}]
    ok(stack.http.post(f"/api/lectures/{lecture['id']}/tasks", json={"title": "설정", "subtasks": steps}), 201)
    whole = ok(stack.http.get(f"/api/lectures/{lecture['id']}"))
    step_ids = [step["id"] for task in whole["tasks"] for step in task["subtasks"]]
    session = ok(stack.http.post(f"/api/lectures/{lecture['id']}/sessions", json={}), 201)
    return teacher, lecture, session, step_ids


def has(client: SocketClient, kind: str, **data) -> bool:
    return any(
        m["type"] == kind and all(m.get("data", {}).get(k) == v for k, v in data.items()) for m in client.messages
    )


def increasing(client: SocketClient) -> bool:
    return all(a < b for a, b in itertools.pairwise(client.seqs))


def test_a_live_session_over_its_sockets(stack, push_loop):
    port = free_port()
    stack.start("gateway")
    stack.start("relay")
    stack.start("notifier", {"NOTIFIER_BIND": f"127.0.0.1:{port}", "MAILDIR": str(Path(stack.workdir) / "mail")})
    assert wait_until(lambda: _healthy(port), 20), stack.logs("notifier")
    teacher, lecture, session, steps = classroom(stack)
    by_code = ok(
        httpx.post(
            f"{stack.env['GATEWAY_URL']}/api/sessions/join",
            json={"code": session["code"], "device_id": "phone-1", "display_name": "김영희"},
        ),
        201,
    )
    kim, kim_token = by_code["participant_id"], by_code["participant_token"]
    learner = stack.sign_in()
    lee_token = token_of(stack, learner["username"])
    stack.http.headers["Authorization"] = f"Bearer {teacher}"  # sign_in made the client Lee
    ok(httpx.post(f"{stack.env['GATEWAY_URL']}/api/sessions/{session['id']}/join", json={},
                  headers={"Authorization": f"Bearer {lee_token}"}), 201)  # fmt: skip
    base = f"ws://127.0.0.1:{port}"
    path = f"{base}/ws/sessions/{session['code']}"

    def joined(url: str, token: str, last_seq: int | None = None) -> SocketClient:
        client = SocketClient(push_loop, url, token).start()
        client.join(last_seq)
        assert client.wait_for(lambda messages: any(m["type"] == "join_confirmed" for m in messages))
        return client

    instructor, kims, lees = joined(path, teacher), joined(path, kim_token), joined(path, lee_token)
    dashboard = joined(f"{base}/ws/dashboard/lectures/{lecture['id']}", teacher)
    assert kims.messages[1]["type"] == "state" and kims.messages[1]["state"]["status"] == "WAITING"
    assert [m["role"] for m in (instructor.messages[0], kims.messages[0], lees.messages[0])] == [
        "instructor",
        "learner",
        "learner",
    ]

    # The instructor starts: everyone gets the status and the first step, in seq order.
    ok(stack.http.post(f"/api/sessions/{session['id']}/start", json={}))
    for client in (instructor, kims, lees, dashboard):
        assert client.wait_for(lambda _, c=client: has(c, "step_changed")), client.messages
        assert has(client, "session_status_changed", status="IN_PROGRESS")
    assert kims.of_type("step_changed")[0]["data"]["step"]["id"] == steps[0]

    # A step done over the socket is the HTTP call: confirmed, and its event reaches the instructor, not Lee.
    kims.send({"type": "step_complete", "id": "done-1", "data": {"subtask_id": steps[0]}})
    assert kims.wait_for(lambda _: kims.of_type("step_complete_confirmed"))
    assert kims.of_type("step_complete_confirmed")[0]["data"]["newly_completed"] is True
    assert instructor.wait_for(lambda _: has(instructor, "student_completion", participant_id=kim))
    assert dashboard.wait_for(lambda _: has(dashboard, "student_completion", participant_id=kim))
    assert wait_until(lambda: has(kims, "student_completion", participant_id=kim), 10)
    kims.send({"type": "step_complete", "data": {"subtask_id": "not-a-step"}})
    assert kims.wait_for(lambda _: kims.of_type("error"))
    assert kims.of_type("error")[0]["status"] == 422

    # Help over the socket: the gateway's help request, the instructor told.
    kims.send({"type": "request_help", "data": {"subtask_id": steps[1], "error_message": "연결이 안 보여요"}})
    assert kims.wait_for(lambda _: kims.of_type("request_help_confirmed")), kims.messages
    assert instructor.wait_for(lambda _: has(instructor, "help_requested", participant_id=kim))

    # Kim closes the app: gone for the instructor; back when the app joins again, from Kim's last seq.
    last = kims.seqs[-1]
    kims.close()
    assert instructor.wait_for(lambda _: has(instructor, "participant_left", participant_id=kim)), instructor.messages
    ok(stack.http.post(f"/api/sessions/{session['id']}/broadcast", json={"message": "다음으로 넘어갈게요"}))
    again = joined(path, kim_token, last_seq=last)
    assert again.messages[0]["resumed"] is True
    assert again.wait_for(lambda _: has(again, "instructor_message") and has(again, "participant_joined"))
    assert has(again, "participant_left", participant_id=kim)  # what happened while away, in order
    assert again.seqs[0] == last + 1 and increasing(again)
    time.sleep(0.5)
    for client in (instructor, lees, dashboard):
        assert increasing(client) and not has(lees, "student_completion") and not has(lees, "help_requested")
    assert stack.http.get(f"/api/sessions/{session['id']}/participants").json()["participants"][0]["status"] in (
        "ACTIVE",
        "DISCONNECTED",
    )


def test_refusals_over_the_real_gateway(stack, push_loop):
    port = free_port()
    stack.start("gateway")
    stack.start("notifier", {"NOTIFIER_BIND": f"127.0.0.1:{port}", "MAILDIR": str(Path(stack.workdir) / "mail")})
    assert wait_until(lambda: _healthy(port), 20), stack.logs("notifier")
    teacher, lecture, session, _ = classroom(stack)
    other = ok(stack.http.post(f"/api/lectures/{lecture['id']}/sessions", json={}), 201)
    joined = ok(httpx.post(f"{stack.env['GATEWAY_URL']}/api/sessions/join",
                           json={"code": session["code"], "device_id": "p", "display_name": "박"}), 201)  # fmt: skip
    stranger = stack.sign_in()
    cases = [
        (f"/ws/sessions/{other['code']}", joined["participant_token"], 4403),  # another session's participant token
        (f"/ws/sessions/{session['code']}", token_of(stack, stranger["username"]), 4404),  # never joined
        (f"/ws/sessions/{session['code']}", teacher[:-4] + "AAAA", 4401),  # forged
        (f"/ws/dashboard/lectures/{lecture['id']}", joined["participant_token"], 4403),
        (f"/ws/dashboard/lectures/{lecture['id']}", token_of(stack, stranger["username"]), 4404),
    ]
    for path, token, code in cases:
        client = SocketClient(push_loop, f"ws://127.0.0.1:{port}{path}", token).start()
        assert client.wait_closed() == code and client.messages == [], (path, client.close_reason)


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
