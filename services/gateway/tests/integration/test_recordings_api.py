"""Recordings: started, fed events in batches while recording (each keeping its own time, numbered in order),
stopped, read back in order a page at a time, analysed (the steps taken and where the user hesitated) through the
status machine; anyone else's recording is a 404, an illegal move a 409, a bad batch a 422, and none stores anything."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from help_kit import RECORDING_RESULT, Reports, completed, report

START = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def reports(client, webhook_secret, database_url):
    return Reports(client, webhook_secret, database_url)


def events(count: int, first: int = 0, screen: str = "홈") -> list[dict]:
    """Events a device recorded, 1.5 s apart, each with its own timestamp (with milliseconds and an offset)."""
    moments = (START + timedelta(seconds=1.5 * (first + i)) for i in range(count))
    return [
        {"event_type": "VIEW_CLICKED", "timestamp": moment.astimezone().isoformat(timespec="milliseconds"),
         "screen": screen, "element": f"버튼 {first + i}", "x": 10 * i, "y": 20, "data": {"view_id": f"id/b{i}"}}
        for i, moment in enumerate(moments)
    ]  # fmt: skip


def start(client, who, **body) -> dict:
    response = client.post("/api/recordings", json={"title": "와이파이 켜는 법", **body}, headers=who.headers)
    assert response.status_code == 201, response.json
    return response.json


def save(client, who, recording_id: str, batch: list[dict], **headers):
    path = f"/api/recordings/{recording_id}/save-events-batch"
    return client.post(path, json={"events": batch}, headers={**who.headers, **headers})


def test_a_recording_is_fed_in_batches_and_read_back_in_order_with_each_events_own_time(client, alice):
    recording = start(client, alice, description="설정에서")
    assert (recording["status"], recording["event_count"], recording["analysis_status"]) == ("RECORDING", 0, None)
    first = save(client, alice, recording["id"], events(3))
    assert first.status_code == 201 and (first.json["saved_count"], first.json["first_seq"]) == (3, 1)
    second = save(client, alice, recording["id"], events(2, first=3))
    assert second.json["first_seq"] == 4 and second.json["recording"]["event_count"] == 5
    page = client.get(f"/api/recordings/{recording['id']}/events?page_size=2&page=2", headers=alice.headers).json
    assert (page["total"], page["pages"]) == (5, 3)
    assert [e["seq"] for e in page["items"]] == [3, 4]
    assert [e["element"] for e in page["items"]] == ["버튼 2", "버튼 3"]
    every = client.get(f"/api/recordings/{recording['id']}/events", headers=alice.headers).json["items"]
    times = [datetime.fromisoformat(e["timestamp"]) for e in every]
    assert times == [START + timedelta(seconds=1.5 * i) for i in range(5)], "each event keeps its own time"
    assert every[0]["data"] == {"view_id": "id/b0"} and every[1]["x"] == 10


def test_the_status_machine_from_recording_to_analysed(client, reports, alice):
    recording = start(client, alice)
    path = f"/api/recordings/{recording['id']}"
    early = client.post(f"{path}/analyze", headers=alice.headers)
    assert early.status_code == 409 and "RECORDING" in early.json["detail"]
    save(client, alice, recording["id"], events(4))
    stopped = client.post(f"{path}/stop", headers=alice.headers)
    assert stopped.status_code == 200 and stopped.json["status"] == "COMPLETED"
    assert stopped.json["duration_seconds"] is not None and stopped.json["stopped_at"]
    before = reports.counts()
    assert client.post(f"{path}/stop", headers=alice.headers).status_code == 409
    late = save(client, alice, recording["id"], events(1, first=4))
    assert late.status_code == 409 and late.content_type == "application/problem+json"
    assert reports.counts() == before
    asked = client.post(f"{path}/analyze", headers=alice.headers)
    assert asked.status_code == 202 and asked.headers["Location"] == path
    assert (asked.json["status"], asked.json["analysis_status"]) == ("PROCESSING", "queued")
    [command] = reports.command("AnalyzeRecording", "recording_id", recording["id"])
    assert [e["element"] for e in command["events"]] == [f"버튼 {i}" for i in range(4)]
    assert datetime.fromisoformat(command["events"][1]["occurred_at"]) == START + timedelta(seconds=1.5)
    assert "seq" not in command["events"][0] and command["events"][0]["data"] == {"view_id": "id/b0"}
    assert client.post(f"{path}/analyze", headers=alice.headers).status_code == 409, "already processing"
    processing = reports.post([report("recording_analysis", recording["id"], "processing", worker="w")])
    assert processing.json["results"][0]["result"] == "applied"
    done = reports.post([completed("recording_analysis", recording["id"], RECORDING_RESULT, offset=1)])
    assert done.json["results"][0]["result"] == "applied"
    read = client.get(path, headers=alice.headers).json
    assert (read["status"], read["analysis_status"], read["analysis"]) == ("ANALYZED", "completed", RECORDING_RESULT)
    assert read["analyzed_at"] and read["error"] is None
    [told] = reports.notifications(alice.user["id"], "recording_analysis.completed")
    assert told["body"] == "'와이파이 켜는 법': 2 steps, 1 hesitations."
    assert client.post(f"{path}/analyze", headers=alice.headers).status_code == 409, "analysed already"
    again = reports.post([completed("recording_analysis", recording["id"], RECORDING_RESULT, offset=2)])
    assert again.json["results"][0]["result"] == "stale"


def test_a_failed_analysis_may_be_asked_for_again(client, reports, alice):
    recording = start(client, alice)
    save(client, alice, recording["id"], events(2))
    client.post(f"/api/recordings/{recording['id']}/stop", headers=alice.headers)
    client.post(f"/api/recordings/{recording['id']}/analyze", headers=alice.headers)
    failed = report("recording_analysis", recording["id"], "failed", reason="gave up after 4 attempts", code="timeout")
    assert reports.post([failed]).json["results"][0]["result"] == "applied"
    read = client.get(f"/api/recordings/{recording['id']}", headers=alice.headers).json
    assert (read["status"], read["analysis_status"]) == ("FAILED", "failed")
    assert read["error"] == {"reason": "gave up after 4 attempts", "code": "timeout"}
    assert len(reports.notifications(alice.user["id"], "recording_analysis.failed")) == 1
    retried = client.post(f"/api/recordings/{recording['id']}/analyze", headers=alice.headers)
    assert retried.status_code == 202 and retried.json["analysis_status"] == "queued" and retried.json["error"] is None
    assert len(reports.command("AnalyzeRecording", "recording_id", recording["id"])) == 2
    broken = {**RECORDING_RESULT, "steps": [{"action": "CLICK"}]}
    invalid = reports.post([completed("recording_analysis", recording["id"], broken)])
    assert invalid.json["results"][0]["result"] == "invalid"
    read = client.get(f"/api/recordings/{recording['id']}", headers=alice.headers).json
    assert read["status"] == "FAILED" and read["error"]["code"] == "invalid_output" and read["analysis"] is None


def test_an_empty_recording_has_nothing_to_analyse(client, reports, alice):
    recording = start(client, alice)
    client.post(f"/api/recordings/{recording['id']}/stop", headers=alice.headers)
    before = reports.counts()
    response = client.post(f"/api/recordings/{recording['id']}/analyze", headers=alice.headers)
    assert response.status_code == 409 and "no events" in response.json["detail"]
    assert reports.counts() == before


@pytest.mark.parametrize(
    ("batch", "pointer"),
    [
        ([], "/events"),
        (events(501), "/events"),
        ([{"event_type": "CLICK"}], "/events/0/timestamp"),
        ([{"event_type": "CLICK", "timestamp": "2026-03-01T09:30:00"}], "/events/0/timestamp"),
        ([{"timestamp": "2026-03-01T09:30:00Z"}], "/events/0/event_type"),
        ([{**events(1)[0], "x": "12"}], "/events/0/x"),
        ([{**events(1)[0], "x": 2**40}], "/events/0/x"),
        ([{**events(1)[0], "element": "e" * 256}], "/events/0/element"),
        ([{**events(1)[0], "data": {"blob": "x" * 5000}}], "/events/0/data"),
        ([{**events(1)[0], "data": [1, 2]}], "/events/0/data"),
        ([{**events(1)[0], "surprise": True}], "/events/0/surprise"),
    ],
)
def test_a_bad_batch_is_a_422_that_stores_nothing(client, reports, alice, batch, pointer):
    recording = start(client, alice)
    before = reports.counts()
    response = save(client, alice, recording["id"], batch)
    assert response.status_code == 422, response.json
    assert pointer in [error["pointer"] for error in response.json["errors"]], response.json
    assert reports.counts() == before


def test_a_recording_holds_a_bounded_number_of_events_and_a_body_a_bounded_size(client, app, reports, alice):
    recording = start(client, alice)
    reports.sql("UPDATE recordings SET event_count = 4990 WHERE id = %s", recording["id"])
    before = reports.counts()
    full = save(client, alice, recording["id"], events(20))
    assert full.status_code == 409 and "at most 5000" in full.json["detail"]
    assert reports.counts() == before
    huge = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    path = f"/api/recordings/{recording['id']}/save-events-batch"
    too_big = client.post(path, data=huge, headers=alice.headers, content_type="application/json")
    assert too_big.status_code == 413 and too_big.content_type == "application/problem+json"
    assert reports.counts() == before


def test_a_retried_batch_with_its_idempotency_key_is_saved_once(client, reports, alice):
    recording = start(client, alice)
    first = save(client, alice, recording["id"], events(3), **{"Idempotency-Key": "batch-1"})
    retry = save(client, alice, recording["id"], events(3), **{"Idempotency-Key": "batch-1"})
    assert retry.status_code == 201 and retry.headers["Idempotent-Replayed"] == "true" and retry.json == first.json
    assert reports.one("SELECT count(*) FROM recording_events WHERE recording_id = %s", recording["id"]) == (3,)


def test_another_users_recording_is_a_404_everywhere_and_changes_nothing(client, reports, alice, bob):
    recording = start(client, alice)
    save(client, alice, recording["id"], events(2))
    path = f"/api/recordings/{recording['id']}"
    before = reports.counts()
    calls = [
        ("GET", path, None),
        ("GET", f"{path}/events", None),
        ("POST", f"{path}/stop", None),
        ("POST", f"{path}/analyze", None),
        ("POST", f"{path}/save-events-batch", {"events": events(1)}),
    ]
    for method, target, body in calls:
        response = client.open(target, method=method, json=body, headers=bob.headers)
        assert response.status_code == 404 and "no recording" in response.json["detail"], (method, target)
    assert client.get("/api/recordings", headers=bob.headers).json["total"] == 0
    assert client.get(f"/api/recordings/{uuid.uuid4()}", headers=alice.headers).status_code == 404
    assert client.get("/api/recordings/12", headers=alice.headers).status_code == 404
    assert reports.counts() == before


def test_the_list_is_the_owners_newest_first_and_by_status(client, alice):
    first, second = start(client, alice, title="첫째"), start(client, alice, title="둘째")
    client.post(f"/api/recordings/{first['id']}/stop", headers=alice.headers)
    listed = client.get("/api/recordings", headers=alice.headers).json
    assert [r["id"] for r in listed["items"]][:2] == [second["id"], first["id"]]
    completed_only = client.get("/api/recordings?status=COMPLETED", headers=alice.headers).json
    assert [r["id"] for r in completed_only["items"]] == [first["id"]]
    assert client.get("/api/recordings?status=DONE", headers=alice.headers).status_code == 422


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({}, "/title"),
        ({"title": "   "}, "/title"),
        ({"title": "x" * 256}, "/title"),
        ({"title": 5}, "/title"),
        ({"title": "ok", "lecture_id": "nope"}, "/lecture_id"),
    ],
)
def test_a_bad_recording_is_a_422(client, reports, alice, body, pointer):
    before = reports.counts()
    response = client.post("/api/recordings", json=body, headers=alice.headers)
    assert response.status_code == 422 and pointer in [e["pointer"] for e in response.json["errors"]]
    assert reports.counts() == before


def test_a_lecture_not_taught_nor_enrolled_in_is_a_404(client, reports, alice):
    response = client.post(
        "/api/recordings", json={"title": "x", "lecture_id": str(uuid.uuid4())}, headers=alice.headers
    )
    assert response.status_code == 404
