"""POST /api/logs/...: 202 at once, each event with an id, one ActivityLogged outbox row per accepted batch; bad
input of every kind is a problem+json 4xx that queues nothing."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest


@pytest.fixture
def live(classroom, teacher):
    """A session with a learner joined by code (participant token)."""
    session = classroom.session(teacher)
    return session, classroom.device(session, "phone-1")


def event(**fields) -> dict:
    return {"event_type": "VIEW_CLICKED", "package": "com.kakao.talk", "x": 10, "y": 20} | fields


def batches(classroom, participant_id: str | None = None, user_id: str | None = None) -> list[dict]:
    """The ActivityLogged payloads in the outbox from this participant or user, oldest first."""
    who, value = ("participant_id", participant_id) if participant_id else ("user_id", user_id)
    return [
        payload
        for (payload,) in classroom.sql(
            "SELECT payload FROM outbox WHERE message_type = 'ActivityLogged' AND routing_key = 'activity.logged' "
            f"AND payload->'events'->0->>'{who}' = %s ORDER BY id",
            value,
        )
    ]


def test_a_participant_tokens_batch_is_queued_as_one_message_with_an_id_per_event(classroom, client, live):
    session, learner = live
    body = {"logs": [event(subtask=session["steps"][0], text="전송"), event(event_type="scroll", x=None, y=None)]}
    response = client.post("/api/logs/batch", json=body, headers=learner["headers"])
    assert response.status_code == 202, response.json
    answer = response.json
    assert answer["status"] == "queued" and answer["queued_count"] == 2 and len(set(answer["event_ids"])) == 2
    [message] = batches(classroom, learner["participant_id"])
    assert message["version"] == 1 and message["batch_id"] == answer["batch_id"]
    first, second = message["events"]
    assert [first["event_id"], second["event_id"]] == answer["event_ids"]
    assert first["session_id"] == session["id"] and first["lecture_id"] == session["lecture"]["id"]
    assert first["step_id"] == session["steps"][0] and first["device_id"] == "phone-1" and first["user_id"] is None
    assert (first["event_type"], first["text"], first["x"], first["y"]) == ("VIEW_CLICKED", "전송", 10, 20)
    assert second["event_type"] == "SCROLL" and second["occurred_at"] == message["received_at"]


def test_the_original_apps_fields_are_folded_into_ours(classroom, client, live):
    session, learner = live
    sent = {
        "device_id": "phone-1",
        "session": session["id"],
        "subtask": session["steps"][1],
        "event_type": "CLICK",
        "event_data": {"package_name": "com.android.settings", "element_text": "Wi-Fi"},
        "screen_info": {"activity_name": "SettingsActivity"},
        "node_info": {"element_id": "android:id/title"},
        "view_id_resource_name": "android:id/title",
        "content_description": "Wi-Fi",
        "bounds": "[0,300][1080,420]",
        "timestamp": "2026-01-01T00:00:00+09:00",
    }
    sent["timestamp"] = (datetime.now(UTC) - timedelta(minutes=3)).isoformat()
    response = client.post("/api/logs/activity/anonymous", json=sent, headers=learner["headers"])
    assert response.status_code == 202, response.json
    assert response.json["event_id"] == response.json["event_ids"][0]
    [stored] = batches(classroom, learner["participant_id"])[0]["events"]
    assert (stored["package"], stored["screen"], stored["element"], stored["text"]) == (
        "com.android.settings",
        "SettingsActivity",
        "android:id/title",
        "Wi-Fi",
    )
    assert datetime.fromisoformat(stored["occurred_at"]) == datetime.fromisoformat(sent["timestamp"])
    assert stored["data"]["bounds"] == "[0,300][1080,420]" and stored["data"]["node_info"] == sent["node_info"]


def test_sensitive_text_is_not_kept(classroom, client, live):
    _, learner = live
    sent = event(text="hunter2", event_data={"element_text": "hunter2"}, is_sensitive_data=True)
    assert client.post("/api/logs/batch", json={"logs": [sent]}, headers=learner["headers"]).status_code == 202
    [stored] = batches(classroom, learner["participant_id"])[0]["events"]
    assert stored["text"] is None and "hunter2" not in str(stored) and stored["data"] == {"is_sensitive_data": True}


def test_a_signed_in_learner_reports_in_the_session_joined_and_outside_any(classroom, client, teacher, alice):
    session = classroom.session(teacher)
    assert client.post(f"/api/sessions/{session['id']}/join", json={}, headers=alice.headers).status_code == 201
    inside = client.post("/api/logs/activity", json=event(session=session["id"]), headers=alice.headers)
    outside = client.post("/api/logs/batch", json={"logs": [event(), event()]}, headers=alice.headers)
    assert (inside.status_code, outside.status_code) == (202, 202)
    messages = batches(classroom, user_id=alice.user["id"])
    assert [len(m["events"]) for m in messages] == [1, 2]
    assert messages[0]["events"][0]["participant_id"] and messages[0]["events"][0]["session_id"] == session["id"]
    assert messages[1]["events"][0]["session_id"] is None and messages[1]["events"][0]["participant_id"] is None


def test_an_event_id_sent_is_kept_so_a_batch_sent_again_names_the_same_events(classroom, client, live):
    _, learner = live
    mine = [str(uuid.uuid4()), str(uuid.uuid4())]
    body = {"logs": [event(event_id=mine[0]), event(event_id=mine[1])]}
    first = client.post("/api/logs/batch", json=body, headers=learner["headers"])
    again = client.post("/api/logs/batch", json=body, headers=learner["headers"])
    assert first.json["event_ids"] == again.json["event_ids"] == mine
    assert first.json["batch_id"] != again.json["batch_id"]  # two messages; the consumer stores the events once


def _outbox_count(classroom) -> int:
    return classroom.sql("SELECT count(*) FROM outbox WHERE message_type = 'ActivityLogged'")[0][0]


def _refused(classroom, client, path: str, body, headers, status: int, pointer: str | None = None):
    before = _outbox_count(classroom)
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == status, response.json
    assert response.mimetype == "application/problem+json"
    if pointer is not None:
        assert pointer in [error["pointer"] for error in response.json.get("errors", [])], response.json
    assert _outbox_count(classroom) == before
    return response


def test_over_500_events_is_refused_whole(classroom, client, live):
    _, learner = live
    response = _refused(
        classroom, client, "/api/logs/batch", {"logs": [event()] * 501}, learner["headers"], 422, "/logs"
    )
    assert "500" in response.json["detail"]
    assert client.post("/api/logs/batch", json={"logs": [event()] * 500}, headers=learner["headers"]).status_code == 202


BAD_EVENTS = [
    ({"logs": []}, "/logs"),
    ({"logs": "CLICK"}, "/logs"),
    ({"events": [event()]}, "/logs"),
    ({"logs": [event(), {"package": "x"}]}, "/logs/1/event_type"),
    ({"logs": [event(event_type=7)]}, "/logs/0/event_type"),
    ({"logs": [event(event_type="")]}, "/logs/0/event_type"),
    ({"logs": [event(event_type="CLICK; DROP")]}, "/logs/0/event_type"),
    ({"logs": [event(event_type="C" * 41)]}, "/logs/0/event_type"),
    ({"logs": [event(x="10")]}, "/logs/0/x"),
    ({"logs": [event(y=1.5)]}, "/logs/0/y"),
    ({"logs": [event(x=10**12)]}, "/logs/0/x"),
    ({"logs": [event(timestamp="yesterday")]}, "/logs/0/timestamp"),
    ({"logs": [event(timestamp="2026-01-01T10:00:00")]}, "/logs/0/timestamp"),  # no offset
    ({"logs": [event(timestamp=1767225600000)]}, "/logs/0/timestamp"),
    ({"logs": [event(timestamp=(datetime.now(UTC) + timedelta(hours=1)).isoformat())]}, "/logs/0/timestamp"),
    ({"logs": [event(timestamp=(datetime.now(UTC) - timedelta(days=31)).isoformat())]}, "/logs/0/timestamp"),
    ({"logs": [event(session="not-a-uuid")]}, "/logs/0/session"),
    ({"logs": [event(subtask=12)]}, "/logs/0/subtask"),
    ({"logs": [event(event_id="x")]}, "/logs/0/event_id"),
    ({"logs": [event(package="p" * 256)]}, "/logs/0/package"),
    ({"logs": [event(screen="a\nb")]}, "/logs/0/screen"),
    ({"logs": [event(element="\u202eevil")]}, "/logs/0/element"),
    ({"logs": [event(text="t" * 2001)]}, "/logs/0/text"),
    ({"logs": [event(is_sensitive_data="yes")]}, "/logs/0/is_sensitive_data"),
    ({"logs": [event(event_data=["a"])]}, "/logs/0/event_data"),
    ({"logs": [event(event_data={"blob": "x" * 9000})]}, "/logs/0/event_data"),
    ({"logs": [event(colour="red")]}, "/logs/0/colour"),
]


@pytest.mark.parametrize(("body", "pointer"), BAD_EVENTS, ids=[p + str(i) for i, (_, p) in enumerate(BAD_EVENTS)])
def test_a_bad_event_refuses_the_batch(classroom, client, live, body, pointer):
    _, learner = live
    _refused(classroom, client, "/api/logs/batch", body, learner["headers"], 422, pointer)


def test_references_the_caller_may_not_make_refuse_the_batch(classroom, client, teacher, live, alice):
    session, learner = live
    other = classroom.session(teacher)
    foreign_step = other["steps"][0]
    h = learner["headers"]
    path = "/api/logs/batch"
    _refused(classroom, client, path, {"logs": [event(), event(subtask=foreign_step)]}, h, 422, "/logs/1/subtask")
    _refused(classroom, client, path, {"logs": [event(recording_session=str(uuid.uuid4()))]}, h, 422)
    repeated = str(uuid.uuid4())
    _refused(classroom, client, path, {"logs": [event(event_id=repeated)] * 2}, h, 422, "/logs/1/event_id")
    two = {"logs": [event(session=session["id"]), event(session=other["id"])]}
    _refused(classroom, client, path, two, h, 422, "/logs")
    # a participant token names its own session only; a signed-in user only sessions they joined
    _refused(classroom, client, path, {"logs": [event(session=other["id"])]}, h, 401)
    _refused(classroom, client, path, {"logs": [event(session=session["id"])]}, alice.headers, 404)
    _refused(classroom, client, path, {"logs": [event(session=str(uuid.uuid4()))]}, alice.headers, 404)
    _refused(classroom, client, path, {"logs": [event(subtask=session["steps"][0])]}, alice.headers, 422)


def test_credentials_each_endpoint_takes(classroom, client, live, alice):
    _, learner = live
    one = event()
    expired = learner["headers"]["Authorization"][:-4] + "AAAA"
    for path in ("/api/logs/activity", "/api/logs/activity/anonymous", "/api/logs/batch"):
        body = {"logs": [one]} if path.endswith("batch") else one
        for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": expired}):
            response = _refused(classroom, client, path, body, headers, 401)
            assert "WWW-Authenticate" in response.headers
    _refused(classroom, client, "/api/logs/activity", one, learner["headers"], 401)  # a participant token
    _refused(classroom, client, "/api/logs/activity/anonymous", one, alice.headers, 401)  # an account's token
    assert client.post("/api/logs/activity", json=one, headers=alice.headers).status_code == 202
    assert client.post("/api/logs/activity/anonymous", json=one, headers=learner["headers"]).status_code == 202


def test_bodies_that_are_not_json_objects(classroom, client, live):
    _, learner = live
    h = learner["headers"]
    for body in ([event()], "CLICK", 5, None):
        _refused(classroom, client, "/api/logs/batch", body, h, 422)
        _refused(classroom, client, "/api/logs/activity/anonymous", body, h, 422)
    before = _outbox_count(classroom)
    as_text = client.post("/api/logs/batch", data="logs", headers=h | {"Content-Type": "text/plain"})
    broken = client.post("/api/logs/batch", data='{"logs": [', headers=h | {"Content-Type": "application/json"})
    assert (as_text.status_code, broken.status_code) == (415, 400)
    assert _outbox_count(classroom) == before


@pytest.mark.parametrize(
    "raw",
    [
        '{"logs": [{"event_type": "CLICK", "text": "a\\u0000b"}]}',  # NUL
        '{"logs": [{"event_type": "CLICK", "text": "\\ud800"}]}',  # a lone surrogate
        '{"logs": [{"event_type": "CLICK", "event_data": ' + '{"a": ' * 2000 + "1" + "}" * 2000 + "}]}",
        '{"logs": [{"event_type": "CLICK", "x": 1' + "0" * 400 + "}]}",  # a huge number
        '{"logs": [{"event_type": "CLICK", "a\\u0000": 1}]}',  # a NUL in a key
    ],
    ids=["nul", "surrogate", "deep", "huge-number", "nul-key"],
)
def test_what_the_decoding_layer_refuses(classroom, client, live, raw):
    _, learner = live
    before = _outbox_count(classroom)
    response = client.post(
        "/api/logs/batch", data=raw, headers=learner["headers"] | {"Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422) and response.mimetype == "application/problem+json", response.json
    assert _outbox_count(classroom) == before


def test_a_recording_of_ones_own_is_named_another_users_is_not(classroom, client, alice, bob):
    recording = str(uuid.uuid4())
    classroom.sql(
        "INSERT INTO recordings (id, owner_id, title, description, status, event_count, attempts, started_at, "
        "created_at, updated_at) VALUES (%s, %s, 'rec', '', 'RECORDING', 0, 0, now(), now(), now())",
        recording,
        alice.user["id"],
    )
    body = {"logs": [event(recording_session=recording)]}
    assert client.post("/api/logs/batch", json=body, headers=alice.headers).status_code == 202
    [message] = batches(classroom, user_id=alice.user["id"])
    assert message["events"][0]["recording_id"] == recording
    _refused(classroom, client, "/api/logs/batch", body, bob.headers, 422, "/logs/0/recording_session")
