"""POST /api/sessions/{id}/presence and /progress: a learner gone and back, the step they work on, each change one
numbered event; repeats, other sessions, bad bodies and ended sessions change nothing."""

import uuid

import pytest


@pytest.fixture
def started(classroom):
    owner = classroom.instructor()
    session = classroom.session(owner)
    learner = classroom.device(session)
    assert classroom.control(owner, session, "start").status_code == 200
    return owner, session, learner


def presence(client, session, learner, connected):
    return client.post(
        f"/api/sessions/{session['id']}/presence", json={"connected": connected}, headers=learner["headers"]
    )


def progress(client, session, learner, **body):
    return client.post(f"/api/sessions/{session['id']}/progress", json=body, headers=learner["headers"])


def kinds(classroom, session) -> list[str]:
    return [event["type"] for event in classroom.events(session["id"])]


def test_a_learner_gone_and_back_is_one_left_and_one_joined_event(classroom, client, started):
    _, session, learner = started
    before = kinds(classroom, session)
    gone = presence(client, session, learner, False)
    assert gone.status_code == 200 and gone.json == {
        "participant_id": learner["participant_id"],
        "my_status": "DISCONNECTED",
        "changed": True,
    }
    assert presence(client, session, learner, False).json["changed"] is False  # a repeat
    back = presence(client, session, learner, True)
    assert back.json["my_status"] == "ACTIVE" and back.json["changed"] is True
    assert presence(client, session, learner, True).json["changed"] is False
    events = classroom.events(session["id"])[len(before) :]
    assert [e["type"] for e in events] == ["participant_left", "participant_joined"]
    assert events[0]["data"] == {"participant_id": learner["participant_id"], "display_name": "김영희"}
    assert events[1]["data"]["rejoined"] is True
    assert events[0]["state"]["participants_by_status"] == {"DISCONNECTED": 1}


def test_a_signed_in_learner_too(classroom, client, accounts):
    owner = classroom.instructor()
    session = classroom.session(owner)
    who = accounts.new()
    joined = client.post(f"/api/sessions/{session['id']}/join", json={}, headers=who.headers)
    assert joined.status_code == 201
    learner = {"headers": who.headers, "participant_id": joined.json["participant_id"]}
    answer = presence(client, session, learner, False)
    assert answer.json["my_status"] == "DISCONNECTED"
    assert presence(client, session, learner, True).json["my_status"] == "WAITING"  # not started yet


def test_progress_on_a_step_is_one_event_for_the_instructor(classroom, client, started):
    _, session, learner = started
    step = session["steps"][1]
    before = len(classroom.events(session["id"]))
    answer = progress(client, session, learner, subtask_id=step, status="in_progress")
    assert answer.status_code == 200 and answer.json["changed"] is True and answer.json["subtask_id"] == step
    assert progress(client, session, learner, subtask_id=step).json["changed"] is False
    [event] = classroom.events(session["id"])[before:]
    assert event["type"] == "progress_updated"
    assert event["data"] == {
        "participant_id": learner["participant_id"],
        "subtask_id": step,
        "status": "in_progress",
        "display_name": "김영희",
    }
    started_at = classroom.sql(
        "SELECT started_at FROM step_progress WHERE participant_id = %s AND step_id = %s",
        learner["participant_id"],
        step,
    )
    assert started_at and started_at[0][0] is not None


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 422),
        ({"subtask_id": "not-a-uuid"}, 422),
        ({"subtask_id": str(uuid.uuid4())}, 422),  # no step of this lecture
        ({"subtask_id": "STEP", "status": "completed"}, 422),
        ({"subtask_id": "STEP", "status": "in_progress\u202e"}, 422),
        ({"subtask_id": "STEP", "extra": 1}, 422),
    ],
)
def test_bad_progress_changes_nothing(classroom, client, started, body, status):
    _, session, learner = started
    body = {k: session["steps"][0] if v == "STEP" else v for k, v in body.items()}
    before = len(classroom.events(session["id"]))
    answer = progress(client, session, learner, **body)
    assert answer.status_code == status and answer.content_type == "application/problem+json"
    assert len(classroom.events(session["id"])) == before


@pytest.mark.parametrize("body", [{}, {"connected": "false"}, {"connected": 0}, {"connected": None}, []])
def test_bad_presence_changes_nothing(classroom, client, started, body):
    _, session, learner = started
    before = len(classroom.events(session["id"]))
    answer = client.post(f"/api/sessions/{session['id']}/presence", json=body, headers=learner["headers"])
    assert answer.status_code == 422 and answer.content_type == "application/problem+json"
    assert len(classroom.events(session["id"])) == before


def test_other_sessions_strangers_and_the_instructor_are_refused(classroom, client, accounts, started):
    owner, session, learner = started
    other = classroom.session(classroom.instructor())
    before = len(classroom.events(session["id"]))
    assert presence(client, other, learner, False).status_code == 401  # another session's participant token
    stranger = {"headers": accounts.new().headers}
    assert presence(client, session, stranger, False).status_code == 404
    assert presence(client, session, {"headers": owner.headers}, False).status_code == 404
    assert presence(client, session, {"headers": {}}, False).status_code == 401
    unknown = {"id": str(uuid.uuid4())}
    assert presence(client, unknown, {"headers": stranger["headers"]}, False).status_code == 404
    assert progress(client, session, stranger, subtask_id=session["steps"][0]).status_code == 404
    assert len(classroom.events(session["id"])) == before


def test_an_ended_session_takes_no_progress_and_records_no_presence(classroom, client, started):
    owner, session, learner = started
    assert classroom.control(owner, session, "end").status_code == 200
    before = len(classroom.events(session["id"]))
    assert progress(client, session, learner, subtask_id=session["steps"][0]).status_code == 409
    answer = presence(client, session, learner, False)
    assert answer.status_code == 200 and answer.json["changed"] is False
    assert len(classroom.events(session["id"])) == before
