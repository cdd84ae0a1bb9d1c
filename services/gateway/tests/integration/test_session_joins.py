"""Joining a live session: signed in or by code, one participant however often, never an ended session; the
participant token opens that session's learner endpoints and nothing else."""

import threading
import time
import uuid

from gateway.accounts.tokens import ACCESS, PARTICIPANT, TokenService, generate_private_key_pem
from shared.messages.classroom import PARTICIPANT_SCOPE


def _participants(classroom, session) -> list[tuple]:
    return classroom.sql(
        "SELECT id, user_id, device_id, display_name, status FROM session_participants WHERE session_id = %s",
        session["id"],
    )


def test_a_device_joins_by_code_once_however_often(classroom, teacher):
    session = classroom.session(teacher)
    first = classroom.join_by_code(session, "phone-1", "김영희")
    assert first.status_code == 201
    body = first.json
    assert body["rejoined"] is False and body["my_status"] == "WAITING" and body["token_type"] == "Bearer"
    assert body["session"]["id"] == session["id"] and len(body["subtasks"]) == 3
    assert body["expires_in"] == 86400 and body["participant_token"].count(".") == 2
    again = classroom.join_by_code(session | {"code": session["code"].lower()}, "phone-1", "영희")
    assert again.status_code == 200 and again.json["rejoined"] is True
    assert again.json["participant_id"] == body["participant_id"] and again.json["display_name"] == "영희"
    assert len(_participants(classroom, session)) == 1
    events = classroom.events(session["id"])
    assert [e["type"] for e in events] == ["participant_joined"]  # a rejoin of a waiting learner changes nothing
    assert events[0]["data"] == {"participant_id": body["participant_id"], "display_name": "김영희", "rejoined": False}
    assert events[0]["state"]["participants"] == 1 and events[0]["state"]["participants_by_status"] == {"WAITING": 1}


def test_a_signed_in_learner_joins_once_and_sees_it_as_active(classroom, teacher, client, alice):
    session = classroom.session(teacher)
    path = f"/api/sessions/{session['id']}/join"
    first = client.post(path, json={}, headers=alice.headers)
    assert first.status_code == 201 and first.json["display_name"] == alice.user["username"]
    assert "participant_token" not in first.json
    again = client.post(path, json={"display_name": "앨리스"}, headers=alice.headers)
    assert again.status_code == 200 and again.json["participant_id"] == first.json["participant_id"]
    assert again.json["display_name"] == "앨리스"
    third = client.post(path, json={}, headers=alice.headers)  # no name given: the chosen one stays
    assert third.json["display_name"] == "앨리스" and third.json["participant_id"] == first.json["participant_id"]
    assert [(str(u), d) for _, u, d, *_ in _participants(classroom, session)] == [(alice.user["id"], None)]
    mine = client.get("/api/sessions/my-active", headers=alice.headers).json
    assert [s["id"] for s in mine["active_sessions"]] == [session["id"]]
    assert mine["active_sessions"][0]["my_status"] == "WAITING"
    classroom.control(teacher, session, "end")
    assert client.get("/api/sessions/my-active", headers=alice.headers).json["count"] == 0


def test_joining_a_started_session_follows_it_and_a_returning_learner_wakes(classroom, teacher, client, alice):
    session = classroom.session(teacher)
    waiting = classroom.device(session, "phone-1")
    classroom.control(teacher, session, "start")
    late = classroom.device(session, "phone-2")
    assert late["my_status"] == "ACTIVE" and late["session"]["current_step"]["id"] == session["steps"][0]
    rows = {d: (status) for _, _, d, _, status in _participants(classroom, session)}
    assert rows == {"phone-1": "ACTIVE", "phone-2": "ACTIVE"}  # the start woke the waiting one
    classroom.sql("UPDATE session_participants SET status = 'DISCONNECTED' WHERE id = %s", waiting["participant_id"])
    back = classroom.device(session, "phone-1")
    assert back["my_status"] == "ACTIVE" and back["rejoined"] is True
    assert classroom.events(session["id"])[-1]["data"]["rejoined"] is True


def test_an_ended_session_cannot_be_joined_and_nothing_is_stored(classroom, teacher, client, alice):
    session = classroom.session(teacher)
    classroom.control(teacher, session, "end")
    response = classroom.join_by_code(session, "phone-1")
    assert response.status_code == 409 and response.content_type == "application/problem+json"
    assert client.post(f"/api/sessions/{session['id']}/join", json={}, headers=alice.headers).status_code == 409
    assert (
        _participants(classroom, session) == [] and classroom.events(session["id"])[-1]["type"] != "participant_joined"
    )
    classroom.control(teacher, session, "review")
    assert classroom.join_by_code(session, "phone-1").status_code == 201  # review mode takes learners again


def test_bad_joins_are_refused_and_change_nothing(classroom, teacher, client, alice):
    session = classroom.session(teacher)
    good = {"code": session["code"], "device_id": "phone-1", "display_name": "김영희"}
    bad_bodies = [
        {},
        {k: v for k, v in good.items() if k != "device_id"},
        {k: v for k, v in good.items() if k != "display_name"},
        good | {"device_id": ""},
        good | {"device_id": "   "},
        good | {"device_id": "x" * 101},
        good | {"display_name": "x" * 101},
        good | {"display_name": "김\n영희"},
        good | {"code": 123456},
        good | {"code": "OOOOOO"},  # not of the alphabet: never a code
        good | {"code": "AC7"},
        good | {"device_id": ["a"]},
    ]
    for body in bad_bodies:
        response = client.post("/api/sessions/join", json=body)
        assert response.status_code == 422, body
        assert response.content_type == "application/problem+json"
    assert client.post("/api/sessions/join", json=good | {"code": "333333"}).status_code == 404
    assert client.post("/api/sessions/join", data="code=1").status_code == 415
    assert client.post(f"/api/sessions/{uuid.uuid4()}/join", json={}, headers=alice.headers).status_code == 404
    assert client.post("/api/sessions/nope/join", json={}, headers=alice.headers).status_code == 404
    assert client.post(f"/api/sessions/{session['id']}/join", json={}).status_code == 401
    bad_name = {"display_name": "x" * 101}
    assert client.post(f"/api/sessions/{session['id']}/join", json=bad_name, headers=alice.headers).status_code == 422
    assert _participants(classroom, session) == [] and classroom.events(session["id"]) == []


def test_the_same_device_joining_at_once_is_one_participant(classroom, teacher, app):
    session = classroom.session(teacher)
    answers = []

    def join():
        client = app.test_client()
        body = {"code": session["code"], "device_id": "phone-1", "display_name": "김영희"}
        answers.append(client.post("/api/sessions/join", json=body))

    threads = [threading.Thread(target=join) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200, 200, 200, 201]
    assert len({a.json["participant_id"] for a in answers}) == 1 and len(_participants(classroom, session)) == 1
    assert [e["type"] for e in classroom.events(session["id"])] == ["participant_joined"]


ELSEWHERE = [
    ("GET", "/api/users/me/profile"),
    ("POST", "/api/users/me/upgrade-to-artist"),
    ("GET", "/api/jobs"),
    ("POST", "/api/jobs"),
    ("GET", "/api/sessions/my-active"),
    ("GET", "/api/sessions/instructor-active"),
    ("GET", "/api/api-keys"),
    ("GET", "/api/notifications"),
]


def test_a_participant_token_is_refused_everywhere_but_its_sessions_learner_endpoints(classroom, teacher, client):
    session = classroom.session(teacher)
    learner = classroom.device(session)
    for method, path in ELSEWHERE:
        response = client.open(path, method=method, json={"text": "x"}, headers=learner["headers"])
        assert response.status_code == 401, (method, path)
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    for action in ("start", "participants", "summary", "screenshots"):
        method = "POST" if action == "start" else "GET"
        path = f"/api/sessions/{session['id']}/{action}"
        assert client.open(path, method=method, json={}, headers=learner["headers"]).status_code == 401
    other = classroom.session(teacher)
    for path in (f"/api/sessions/{other['id']}/current", f"/api/sessions/{other['code']}"):
        response = client.get(path, headers=learner["headers"])
        assert response.status_code == 401 and "another session" in response.json["detail"]
    assert client.get(f"/api/sessions/{session['id']}/current", headers=learner["headers"]).status_code == 200


def _forged(classroom, learner, session) -> dict[str, str]:
    deps = classroom.app.extensions["gateway"]
    ours, sid, pid = deps.tokens, uuid.UUID(session["id"]), uuid.UUID(learner["participant_id"])
    stranger = TokenService(generate_private_key_pem(), ours.issuer, ours.audience, 900, 3600)
    payload = learner["participant_token"].split(".")
    return {
        "expired": ours.issue(PARTICIPANT, pid, sid, scope=PARTICIPANT_SCOPE, exp=int(time.time()) - 3600).token,
        "another key": stranger.issue(PARTICIPANT, pid, sid, ttl=600, scope=PARTICIPANT_SCOPE).token,
        "no scope": ours.issue(PARTICIPANT, pid, sid, ttl=600).token,
        "another scope": ours.issue(PARTICIPANT, pid, sid, ttl=600, scope="admin").token,
        "another audience": TokenService(deps.settings.jwt_private_key, ours.issuer, "x", 900, 3600)
        .issue(PARTICIPANT, pid, sid, ttl=600, scope=PARTICIPANT_SCOPE)
        .token,
        "an access token's kind": ours.issue(ACCESS, pid, sid, scope=PARTICIPANT_SCOPE).token,
        "unknown participant": ours.issue(PARTICIPANT, uuid.uuid4(), sid, ttl=600, scope=PARTICIPANT_SCOPE).token,
        "tampered": ".".join([payload[0], payload[1][:-4] + "AAAA", payload[2]]),
        "alg none": payload[0][:2] + "." + payload[1] + ".",
        "garbage": "not.a.token",
    }


def test_a_forged_expired_or_foreign_participant_token_is_a_401(classroom, teacher, client):
    session = classroom.session(teacher)
    learner = classroom.device(session)
    classroom.control(teacher, session, "start")
    step = session["steps"][0]
    for name, token in _forged(classroom, learner, session).items():
        headers = {"Authorization": f"Bearer {token}"}
        current = client.get(f"/api/sessions/{session['id']}/current", headers=headers)
        assert current.status_code == 401, name
        done = client.post(
            f"/api/sessions/{session['id']}/report-completion", json={"subtask_id": step}, headers=headers
        )
        assert done.status_code == 401, name
    assert classroom.sql("SELECT count(*) FROM step_progress WHERE session_id = %s", session["id"]) == [(0,)]
