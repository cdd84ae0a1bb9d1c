"""The classroom socket on the real broker and Redis: who may open it, state then events, messages, refusals."""

import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from notifier_classroom import ClassroomGateway, SocketClient
from notifier_clients import refused
from notifier_stack import declare_fresh, publish, publish_many, settings_for

from shared.messages import SessionRevoked
from shared.messages.classroom import PARTICIPANT_SCOPE


@pytest.fixture
def classroom(signing_key):
    with ClassroomGateway(signing_key) as server:
        yield server


@pytest.fixture
def settings(amqp_url, redis_prefix, classroom, notifier_webhook_secret, signing_key):
    declare_fresh(amqp_url)
    extra = {"jwt_public_keys": [signing_key.public_pem], "notifier_classroom_gap_seconds": 0.5}
    return settings_for(amqp_url, redis_prefix, classroom.url, notifier_webhook_secret, **extra)


def ws_url(notifier, path: str) -> str:
    return notifier.url.replace("http", "ws", 1) + path


def connect(push_loop, notifier, path: str, token: str | None, **kwargs) -> SocketClient:
    return SocketClient(push_loop, ws_url(notifier, path), token, **kwargs).start()


def joined(client: SocketClient, last_seq: int | None = None) -> SocketClient:
    client.join(last_seq)
    client.wait_for(lambda messages: any(m["type"] == "join_confirmed" for m in messages))
    return client


def events(client: SocketClient, count: int) -> list[dict]:
    """The first `count` messages that carry a seq (events and states), waiting for them."""
    client.wait_for(lambda messages: len([m for m in messages if "seq" in m]) >= count)
    return [m for m in client.messages if "seq" in m]


REFUSALS = {
    "no token": (lambda s, k: None, 4401),
    "malformed token": (lambda s, k: "not-a-jwt", 4401),
    "expired token": (lambda s, k: k.token(s.learner()[0], ttl=-60), 4401),
    "refresh token": (lambda s, k: k.token(s.learner()[0], kind="refresh"), 4401),
    "participant token without its scope": (lambda s, k: s.device(scope="something:else")[1], 4401),
    "another session's participant token": (lambda s, k: s.other.device()[1], 4403),
    "a user who did not join": (lambda s, k: k.token("stranger"), 4404),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_socket_without_a_seat_is_closed_with_its_code_before_anything_is_sent(
    notifier, classroom, push_loop, signing_key, case
):
    session, other = classroom.session(), classroom.session()
    session.other = other
    make, code = REFUSALS[case]
    client = connect(push_loop, notifier, f"/ws/sessions/{session.code}", make(session, signing_key))
    assert client.wait_closed() == code
    assert client.close_reason
    assert client.messages == []
    assert notifier.service.realtime.classroom.connections == 0


def test_an_unknown_code_and_a_code_too_long_are_4404(notifier, classroom, push_loop, signing_key):
    session = classroom.session()
    _, token = session.learner()
    for code in ("XXXXXX", "A" * 40):
        client = connect(push_loop, notifier, f"/ws/sessions/{code}", token)
        assert client.wait_closed() == 4404 and client.messages == []


def test_dashboard_refusals(notifier, classroom, push_loop, signing_key):
    session = classroom.session()
    cases = [
        (None, session.lecture_id, 4401),
        (session.learner()[1], session.lecture_id, 4404),  # a learner is not the lecture's instructor
        (session.device()[1], session.lecture_id, 4403),
        (session.instructor_token(), "00000000-0000-0000-0000-000000000000", 4404),
    ]
    for token, lecture, code in cases:
        client = connect(push_loop, notifier, f"/ws/dashboard/lectures/{lecture}", token)
        assert client.wait_closed() == code and client.messages == [], (token, lecture)


def test_a_plain_http_request_is_a_problem(notifier, classroom, push_loop):
    session = classroom.session()
    status, content_type, body = push_loop.run(refused(push_loop.session, f"{notifier.url}/ws/sessions/{session.code}"))
    assert (status, content_type) == (400, "application/problem+json") and "WebSocket" in body["detail"]


def test_join_gives_the_state_at_n_then_every_event_after_it_in_order(notifier, classroom, amqp_url, push_loop):
    session = classroom.session()
    publish_many(amqp_url, [session.event() for _ in range(3)])
    instructor = connect(push_loop, notifier, f"/ws/sessions/{session.code}", session.instructor_token())
    joined(instructor)
    assert events(instructor, 1)[0]["seq"] == 3 or events(instructor, 1)[0]["type"] == "state"

    participant, token = session.device()
    learner = joined(connect(push_loop, notifier, f"/ws/sessions/{session.code}", token, via_header=True))
    greeting, state = learner.messages[0], events(learner, 1)[0]
    assert greeting == {
        "type": "join_confirmed",
        "role": "learner",
        "lecture_id": session.lecture_id,
        "resumed": False,
        "session_id": session.id,
        "code": session.code,
        "participant_id": participant,
    }
    assert state["type"] == "state" and state["seq"] == 3 and state["state"]["seq_seen"] == 3

    later = [session.event() for _ in range(4)]
    publish_many(amqp_url, later)
    received = events(learner, 5)[1:]
    assert [e["seq"] for e in received] == [4, 5, 6, 7]
    assert [e["id"] for e in received] == [e.id for e in later]
    assert {k: received[0][k] for k in ("type", "session_id", "code", "lecture_id", "data", "state")} == {
        "type": "step_changed",
        "session_id": session.id,
        "code": session.code,
        "lecture_id": session.lecture_id,
        "data": later[0].data,
        "state": later[0].state,
    }
    assert [e["seq"] for e in events(instructor, 5)][-4:] == [4, 5, 6, 7]


def test_a_session_without_events_starts_from_the_gateways_view(notifier, classroom, push_loop):
    session = classroom.session()
    learner = joined(connect(push_loop, notifier, f"/ws/sessions/{session.code}", session.learner()[1]))
    state = events(learner, 1)[0]
    assert (state["type"], state["seq"], state["state"]["status"]) == ("state", 0, "IN_PROGRESS")
    assert state["state"]["current_step"]["id"] == session.steps[0]


def test_instructor_only_events_reach_the_instructor_the_dashboard_and_the_learner_they_are_about(
    notifier, classroom, amqp_url, push_loop
):
    session = classroom.session()
    me, my_token = session.device()
    other, _ = session.device()
    path = f"/ws/sessions/{session.code}"
    learner = joined(connect(push_loop, notifier, path, my_token))
    instructor = joined(connect(push_loop, notifier, path, session.instructor_token()))
    dashboard = joined(
        connect(push_loop, notifier, f"/ws/dashboard/lectures/{session.lecture_id}", session.instructor_token())
    )
    publish_many(
        amqp_url,
        [
            session.event("student_completion", {"participant_id": other, "subtask_id": session.steps[0]}),
            session.event("student_completion", {"participant_id": me, "subtask_id": session.steps[0]}),
            session.event("help_requested", {"participant_id": other}),
            session.event("instructor_message", {"message": "Look up", "from": "teacher"}),
        ],
    )
    assert [e["seq"] for e in events(instructor, 5)] == [0, 1, 2, 3, 4]
    assert [e["seq"] for e in events(dashboard, 4)] == [1, 2, 3, 4]  # the session was new to the dashboard
    assert [(e["seq"], e["type"]) for e in events(learner, 3)] == [
        (0, "state"),
        (2, "student_completion"),
        (4, "instructor_message"),
    ]
    time.sleep(0.3)
    assert len(events(learner, 3)) == 3


def test_a_dashboard_gets_each_session_of_its_lecture(notifier, classroom, amqp_url, push_loop):
    first = classroom.session()
    second = classroom.session(lecture_id=first.lecture_id)
    elsewhere = classroom.session()
    publish_many(amqp_url, [first.event(), first.event(), second.event(), elsewhere.event()])
    time.sleep(0.5)  # recorded by notifier.events
    dashboard = joined(
        connect(push_loop, notifier, f"/ws/dashboard/lectures/{first.lecture_id}", first.instructor_token())
    )
    states = {m["session_id"]: m["seq"] for m in events(dashboard, 2)}
    assert states == {first.id: 2, second.id: 1}
    publish_many(amqp_url, [second.event(), elsewhere.event(), first.event()])
    later = events(dashboard, 4)[2:]
    assert [(m["session_id"], m["seq"]) for m in later] == [(second.id, 2), (first.id, 3)]


@pytest.mark.parametrize(
    ("sent", "code"),
    [
        ("not json", "malformed"),
        ("[1, 2]", "malformed"),
        ("[" * 60_000, "malformed"),  # deeper than the parser goes
        ('{"type": "dance"}', "unknown_type"),
        ('{"data": {}}', "unknown_type"),
        ('{"type": "join", "data": []}', "invalid"),
        ('{"type": "join", "data": {"last_seq": -1}}', "invalid"),
        ('{"type": "join", "data": {"last_seq": "7"}}', "invalid"),
        ('{"type": "join", "data": {"last_seq": true}}', "invalid"),
        ('{"type": "heartbeat", "id": {"x": 1}}', "invalid"),
    ],
    ids=lambda value: value[:30] if isinstance(value, str) else value,
)
def test_a_malformed_message_gets_an_error_and_the_socket_stays_open(notifier, classroom, push_loop, sent, code):
    session = classroom.session()
    client = connect(push_loop, notifier, f"/ws/sessions/{session.code}", session.device()[1])
    client.send(sent)
    client.wait_for(lambda messages: messages)
    assert client.messages[0]["type"] == "error" and client.messages[0]["code"] == code
    client.send({"type": "heartbeat", "id": "hb-1", "timestamp": 12})
    client.wait_for(lambda messages: len(messages) >= 2)
    ack = client.messages[1]
    assert ack["type"] == "heartbeat_ack" and ack["reply_to"] == "hb-1" and ack["timestamp"] == 12
    assert client.close_code is None


def test_a_message_over_the_size_limit_closes_the_socket_with_1009(notifier, classroom, push_loop):
    session = classroom.session()
    client = connect(push_loop, notifier, f"/ws/sessions/{session.code}", session.device()[1])
    client.send({"type": "request_help", "data": {"message": "x" * 70_000}})
    assert client.wait_closed() == 1009


def test_a_second_join_and_a_binary_frame_are_errors(notifier, classroom, push_loop):
    session = classroom.session()
    client = joined(connect(push_loop, notifier, f"/ws/sessions/{session.code}", session.device()[1]))
    client.join()
    push_loop.run(client._ws.send_bytes(b"\x00\x01"))
    client.wait_for(lambda messages: len([m for m in messages if m["type"] == "error"]) >= 2)
    assert [m["code"] for m in client.of_type("error")] == ["already_joined", "malformed"]
    assert len(client.of_type("join_confirmed")) == 1


def test_step_complete_is_the_http_call_made_with_the_learners_token(notifier, classroom, push_loop):
    session = classroom.session()
    participant, token = session.device()
    client = joined(connect(push_loop, notifier, f"/ws/sessions/{session.code}", token))
    client.send({"type": "step_complete", "id": "s1", "data": {"subtask_id": session.steps[1], "device_id": "d"}})
    client.send({"type": "step_complete", "id": "s2", "subtask_id": "no-such-step"})
    client.wait_for(lambda messages: len(client.of_type("step_complete_confirmed") + client.of_type("error")) >= 2)
    [confirmed] = client.of_type("step_complete_confirmed")
    assert confirmed["reply_to"] == "s1" and confirmed["data"]["newly_completed"] is True
    [refusal] = client.of_type("error")
    assert (refusal["reply_to"], refusal["code"], refusal["status"]) == ("s2", "refused", 422)
    assert "no step" in refusal["detail"] and refusal["problem"]["status"] == 422
    calls = classroom.calls_to("/report-completion")
    path = f"/api/sessions/{session.id}/report-completion"
    assert sorted(calls, key=str) == sorted(
        [
            ("POST", path, participant, {"subtask_id": session.steps[1]}),
            ("POST", path, participant, {"subtask_id": "no-such-step"}),
        ],
        key=str,
    )


def test_progress_and_help_go_to_their_endpoints(notifier, classroom, push_loop):
    session = classroom.session()
    participant, token = session.device()
    client = joined(connect(push_loop, notifier, f"/ws/sessions/{session.code}", token))
    client.send({"type": "progress_update", "data": {"subtask_id": session.steps[0], "status": "in_progress"}})
    client.send({"type": "progress_update", "data": {"subtask_id": session.steps[0], "status": "COMPLETED"}})
    client.send({"type": "request_help", "data": {"subtask_id": session.steps[0], "error_message": "stuck", "x": 1}})
    client.wait_for(lambda messages: len([m for m in messages if m["type"].endswith("_confirmed")]) >= 4)
    assert classroom.calls_to("/progress")[0][3] == {"subtask_id": session.steps[0], "status": "in_progress"}
    assert classroom.calls_to("/report-completion")[0][3] == {"subtask_id": session.steps[0]}
    help_call = classroom.calls_to("/api/help/request")[0]
    assert help_call[2:] == (
        participant,
        {"session_id": session.id, "subtask_id": session.steps[0], "context": {"error_message": "stuck"}},
    )


def test_a_help_requests_idempotency_key_goes_to_the_gateway_and_a_bad_one_goes_nowhere(notifier, classroom, push_loop):
    session = classroom.session()
    _, token = session.device()
    client = joined(connect(push_loop, notifier, f"/ws/sessions/{session.code}", token))
    client.send(
        {"type": "request_help", "id": "r1", "data": {"subtask_id": session.steps[0], "idempotency_key": "h-1"}}
    )
    client.wait_for(lambda messages: client.of_type("request_help_confirmed"))
    for n, bad in enumerate(("", "x" * 256, "two words", "줄", 7), 1):  # one at a time: never `busy`
        client.send({"type": "request_help", "id": "r2", "data": {"idempotency_key": bad}})
        client.wait_for(lambda messages, n=n: len(client.of_type("error")) >= n)
    assert {(e["code"], e["reply_to"]) for e in client.of_type("error")} == {("invalid", "r2")}
    assert len(classroom.calls_to("/api/help/request")) == 1
    with classroom.lock:
        posted = zip(classroom.calls, classroom.idempotency_keys, strict=True)
        assert [key for call, key in posted if call[0] == "POST"] == ["h-1"]


def test_an_instructor_cannot_act_as_a_learner_and_a_dashboard_takes_no_actions(notifier, classroom, push_loop):
    session = classroom.session()
    instructor = joined(connect(push_loop, notifier, f"/ws/sessions/{session.code}", session.instructor_token()))
    instructor.send({"type": "step_complete", "data": {"subtask_id": session.steps[0]}})
    instructor.wait_for(lambda messages: instructor.of_type("error"))
    assert instructor.of_type("error")[0]["status"] == 404
    dashboard = connect(push_loop, notifier, f"/ws/dashboard/lectures/{session.lecture_id}", session.instructor_token())
    dashboard.send({"type": "request_help", "data": {}})
    dashboard.wait_for(lambda messages: messages)
    assert dashboard.messages[0]["code"] == "not_allowed"


def test_the_gateway_down_is_a_try_again_close_at_connect_and_an_error_for_an_action(notifier, classroom, push_loop):
    session = classroom.session()
    _, token = session.device()
    client = joined(connect(push_loop, notifier, f"/ws/sessions/{session.code}", token))
    classroom.down = True
    try:
        client.send({"type": "step_complete", "data": {"subtask_id": session.steps[0]}})
        client.wait_for(lambda messages: client.of_type("error"))
        assert client.of_type("error")[0]["status"] == 503
        late = connect(push_loop, notifier, f"/ws/sessions/{session.code}", session.device()[1])
        assert late.wait_closed() == 1013
    finally:
        classroom.down = False


@pytest.mark.parametrize("how", ["close", "drop"])
def test_a_learner_leaving_is_told_to_the_gateway_once_their_last_socket_goes_and_back_when_one_joins(
    notifier, classroom, push_loop, how
):
    session = classroom.session()
    participant, token = session.device()
    path = f"/ws/sessions/{session.code}"
    first, second = (joined(connect(push_loop, notifier, path, token)) for _ in range(2))
    first.close()
    time.sleep(0.5)
    assert classroom.calls_to("/presence") == []  # joining over HTTP made them present; one socket is still open
    getattr(second, how)()
    assert classroom.wait(lambda: len(classroom.calls_to("/presence")) == 1)
    assert classroom.calls_to("/presence")[0][2:] == (participant, {"connected": False})
    joined(connect(push_loop, notifier, path, token))
    assert classroom.wait(lambda: len(classroom.calls_to("/presence")) == 2)
    assert classroom.calls_to("/presence")[1][2:] == (participant, {"connected": True})


def test_a_token_expiring_ends_the_socket_with_4001_and_is_no_leave(notifier, classroom, push_loop):
    session = classroom.session()
    _, token = session.device(ttl=2)
    client = joined(connect(push_loop, notifier, f"/ws/sessions/{session.code}", token))
    assert client.wait_closed(timeout=20) == 4001
    time.sleep(0.5)
    assert classroom.calls_to("/presence") == []


def test_a_participant_token_is_refused_by_the_per_user_streams(notifier, classroom, push_loop):
    session = classroom.session()
    _, token = session.device()
    status, _, body = push_loop.run(
        refused(push_loop.session, f"{notifier.url}/api/events/stream", params={"access_token": token})
    )
    assert status == 401 and "token_use" in json.dumps(body)


def test_the_scope_claim_is_what_the_gateway_gives(notifier, classroom, push_loop):
    session = classroom.session()
    assert PARTICIPANT_SCOPE == "classroom:participant"
    _, token = session.device(scope=PARTICIPANT_SCOPE)
    client = joined(connect(push_loop, notifier, f"/ws/sessions/{session.code.lower()}", token))
    assert client.messages[0]["code"] == session.code


def test_a_revoked_sign_in_closes_its_classroom_sockets_with_4003_and_is_refused_after(
    notifier, classroom, amqp_url, push_loop, signing_key
):
    session = classroom.session()
    user, _ = session.learner()
    signed_out, other = str(uuid.uuid4()), str(uuid.uuid4())
    path = f"/ws/sessions/{session.code}"
    cut = joined(connect(push_loop, notifier, path, signing_key.token(user, ttl=3600, sid=signed_out)))
    stays = joined(connect(push_loop, notifier, path, signing_key.token(user, ttl=3600, sid=other)))
    now = datetime.now(UTC)
    revoked = SessionRevoked(
        user_id=user,
        session_id=signed_out,
        reason="signed_out",
        revoked_at=now.isoformat(),
        expires_at=(now + timedelta(minutes=15)).isoformat(),
    )
    publish(amqp_url, revoked)
    assert cut.wait_closed() == 4003 and "signed out" in cut.close_reason
    again = connect(push_loop, notifier, path, signing_key.token(user, ttl=3600, sid=signed_out))
    assert again.wait_closed() == 4003 and again.messages == []
    time.sleep(0.3)
    assert stays.close_code is None
