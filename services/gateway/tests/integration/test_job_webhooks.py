"""The signed job webhook: bad signatures change nothing, replays have no second effect, status only moves forward."""

import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import psycopg

from shared.webhooks import WebhookSigner, generate_secret

TEXT = "Wear a helmet on site. Report every incident within an hour."


def ts(offset_seconds: float = 0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=offset_seconds)).isoformat()


def new_job(client) -> str:
    return client.post("/api/jobs", json={"text": TEXT}).json["event_id"]


def event(job_id: str, kind: str, offset: float = 0, attempt: int = 1, **data) -> dict:
    return {
        "version": 1,
        "id": f"{job_id}:{attempt}:{kind}:{uuid.uuid4().hex[:6]}",
        "type": kind,
        "job_id": job_id,
        "occurred_at": ts(offset),
        "attempt": attempt,
        "data": data,
    }


COMPLETED = {
    "summary": "Wear a helmet.",
    "checklist": ["Wear a helmet", "Report incidents"],
    "provider": "local",
    "model": "extractive-v1",
    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
}


def step(job_id: str, name: str, offset: float = 0, **extra) -> dict:
    return event(
        job_id,
        "job.step_completed",
        offset,
        step=name,
        provider="local",
        model="extractive-v1",
        usage={"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5},
        started_at=ts(offset - 0.5),
        completed_at=ts(offset),
        **extra,
    )


def job_row(dsn: str, job_id: str) -> tuple:
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "SELECT status, summary, checklist, attempts, error FROM jobs WHERE id = %s", (job_id,)
        ).fetchone()


def test_a_full_report_completes_the_job_with_steps_and_usage(client, signed):
    job_id = new_job(client)
    events = [
        event(job_id, "job.processing", -3),
        step(job_id, "summary", -2, summary="Wear a helmet."),
        step(job_id, "checklist", -1, checklist=COMPLETED["checklist"]),
        event(job_id, "job.completed", 0, **COMPLETED),
    ]
    response = signed.post(events)
    assert response.status_code == 200
    assert [r["result"] for r in response.json["results"]] == ["applied"] * 4
    job = client.get(f"/api/jobs/{job_id}").json
    assert job["status"] == "completed"
    assert job["result"]["checklist"] == ["Wear a helmet", "Report incidents"]
    assert job["result"]["usage"]["total_tokens"] == 15 and job["result"]["provider"] == "local"
    assert [s["name"] for s in job["steps"]] == ["summary", "checklist"]
    assert all(s["started_at"] and s["completed_at"] for s in job["steps"])
    assert job["started_at"] and job["completed_at"]


def test_model_output_with_control_and_bidi_characters_completes_the_job(client, signed):
    """What the model wrote is the worker's result: refused, the finished job would be dead-lettered."""
    job_id = new_job(client)
    odd = {**COMPLETED, "summary": "\u202eWear a helmet.\x07", "checklist": ["\u2067Wear a helmet\u2069"]}
    response = signed.post([event(job_id, "job.completed", 0, **odd)])
    assert response.status_code == 200, response.json
    job = client.get(f"/api/jobs/{job_id}").json
    assert job["status"] == "completed" and job["result"]["summary"] == odd["summary"]


def test_status_moves_through_processing_and_retrying(client, signed):
    job_id = new_job(client)
    signed.post([event(job_id, "job.processing", -5)])
    assert client.get(f"/api/jobs/{job_id}").json["status"] == "processing"
    signed.post([event(job_id, "job.retrying", -4, reason="provider_5xx: boom", code="provider_5xx")])
    job = client.get(f"/api/jobs/{job_id}").json
    assert job["status"] == "retrying" and job["error"]["code"] == "provider_5xx"
    signed.post([event(job_id, "job.processing", -3, attempt=2)])
    assert client.get(f"/api/jobs/{job_id}").json["attempts"] == 2


def test_a_late_processing_never_overwrites_completed(client, signed, database_url):
    job_id = new_job(client)
    signed.post([event(job_id, "job.completed", 0, **COMPLETED)])
    late = signed.post([event(job_id, "job.processing", -10), event(job_id, "job.failed", 1, reason="late")])
    assert [r["result"] for r in late.json["results"]] == ["stale", "stale"]
    assert client.get(f"/api/jobs/{job_id}").json["status"] == "completed"


def test_an_older_processing_after_retrying_is_stale(client, signed):
    job_id = new_job(client)
    signed.post([event(job_id, "job.retrying", 0, reason="rate_limited: slow down")])
    result = signed.post([event(job_id, "job.processing", -1)]).json["results"][0]["result"]
    assert result == "stale"
    assert client.get(f"/api/jobs/{job_id}").json["status"] == "retrying"


def test_failed_records_the_reason(client, signed):
    job_id = new_job(client)
    signed.post([event(job_id, "job.failed", 0, reason="gave up after 4 attempts: provider_5xx", code="provider_5xx")])
    job = client.get(f"/api/jobs/{job_id}").json
    assert job["status"] == "failed" and "gave up" in job["error"]["reason"] and job["failed_at"]


def test_a_replayed_webhook_has_no_second_effect(client, signed, database_url):
    job_id = new_job(client)
    events = [step(job_id, "summary", -1, summary="first")]
    first = signed.post(events, webhook_id="msg_replay_1")
    assert first.json["replayed"] is False
    events_again = [step(job_id, "summary", 0, summary="second")]
    replay = signed.post(events_again, webhook_id="msg_replay_1")
    assert replay.status_code == 200 and replay.json["replayed"] is True
    assert replay.json["results"] == first.json["results"]
    assert client.get(f"/api/jobs/{job_id}").json["summary"] == "first"


def test_the_same_events_under_a_new_webhook_id_are_idempotent(client, signed, database_url):
    job_id = new_job(client)
    events = [step(job_id, "summary", -1, summary="S"), event(job_id, "job.completed", 0, **COMPLETED)]
    signed.post(events)
    again = signed.post(events)
    assert [r["result"] for r in again.json["results"]] == ["stale", "stale"]
    assert len(client.get(f"/api/jobs/{job_id}").json["steps"]) == 1


def test_unknown_jobs_are_reported_not_found(signed):
    response = signed.post([event(str(uuid.uuid4()), "job.processing")])
    assert response.json["results"][0]["result"] == "not_found"


def test_bad_signatures_get_401_and_change_nothing(client, signed, database_url):
    job_id = new_job(client)
    body = json.dumps({"events": [event(job_id, "job.completed", **COMPLETED)]}).encode()
    good = signed.signer.headers(body)
    wrong_secret = WebhookSigner(generate_secret()).headers(body)
    tampered = dict(good, **{"webhook-signature": "v1," + "A" * 44})
    stale = signed.signer.headers(body, timestamp=int(time.time()) - 301)
    future = signed.signer.headers(body, timestamp=int(time.time()) + 301)
    cases = [
        {},
        wrong_secret,
        tampered,
        stale,
        future,
        {k: v for k, v in good.items() if k != "webhook-id"},
        dict(good, **{"webhook-signature": "garbage"}),
        dict(good, **{"webhook-timestamp": "soon"}),
        dict(good, **{"Authorization": "Bearer user-token"}, **{"webhook-signature": "v1,AAAA"}),
    ]
    for headers in cases:
        response = client.post("/api/webhooks/jobs", data=body, headers=headers, content_type="application/json")
        assert response.status_code == 401, headers
        assert response.content_type == "application/problem+json"
        assert response.json["type"] == "/problems/invalid-signature"
        assert "WWW-Authenticate" in response.headers
    body_changed = body.replace(b"Wear a helmet", b"Skip the helmet")
    response = client.post("/api/webhooks/jobs", data=body_changed, headers=good, content_type="application/json")
    assert response.status_code == 401
    assert client.get(f"/api/jobs/{job_id}").json["status"] == "queued"
    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        assert (
            conn.execute(
                "SELECT count(*) FROM webhook_receipts WHERE webhook_id = %s", (good["webhook-id"],)
            ).fetchone()[0]
            == 0
        )


def test_a_rotated_secret_still_verifies(client, gateway_settings, signed):
    old_secret = gateway_settings.jobs_webhook_secrets[0]
    job_id = new_job(client)
    body = json.dumps({"events": [event(job_id, "job.processing")]}).encode()
    headers = WebhookSigner(old_secret).headers(body)
    response = client.post("/api/webhooks/jobs", data=body, headers=headers, content_type="application/json")
    assert response.status_code == 200


def test_signed_but_invalid_bodies_get_422_and_change_nothing(client, signed):
    job_id = new_job(client)
    cases = [
        [event(job_id, "job.exploded")],
        [event(job_id, "job.completed", summary="no checklist")],
        [dict(event(job_id, "job.processing"), job_id="nope")],
        [dict(event(job_id, "job.processing"), occurred_at="yesterday")],
        [dict(event(job_id, "job.processing"), occurred_at="2026-01-01T00:00:00")],
        [event(job_id, "job.step_completed", step="dance")],
        [],
    ]
    for events in cases:
        response = signed.post(events)
        assert response.status_code == 422, events
        assert response.json["errors"]
    assert signed.post([], body=b"{oops").status_code == 400
    assert client.get(f"/api/jobs/{job_id}").json["status"] == "queued"


def test_one_batch_applies_each_job_by_its_own_events(client, signed, database_url):
    """A batch of many jobs is written in a few statements: every job and step still gets exactly its own values."""
    done, halfway, failing, untouched = (new_job(client) for _ in range(4))
    finished = signed.post([event(untouched, "job.completed", -5, **COMPLETED)])
    assert finished.json["results"][0]["result"] == "applied"
    missing = str(uuid.uuid4())
    events = [
        event(done, "job.processing", -4),
        step(done, "summary", -3, summary="Wear a helmet."),
        event(halfway, "job.processing", -3),
        event(failing, "job.retrying", -3, reason="rate_limited: slow down", code="rate_limited"),
        step(halfway, "summary", -2, summary="Half of it."),
        event(missing, "job.processing", -2),
        event(done, "job.completed", -1, **COMPLETED),
        event(untouched, "job.failed", 0, reason="too late"),
        event(failing, "job.failed", 0, reason="gave up", code="provider_5xx"),
    ]
    response = signed.post(events)
    results = [r["result"] for r in response.json["results"]]
    assert results == ["applied"] * 5 + ["not_found", "applied", "stale", "applied"]
    dsn = database_url.replace("+psycopg", "")
    with psycopg.connect(dsn) as conn:
        ours = [done, halfway, failing, untouched]
        steps = conn.execute("SELECT job_id::text, name, position FROM job_steps WHERE job_id = ANY(%s)", (ours,))
        assert sorted(steps.fetchall()) == sorted([(done, "summary", 1), (halfway, "summary", 1)])
    assert job_row(dsn, done)[:3] == ("completed", "Wear a helmet.", COMPLETED["checklist"])
    assert job_row(dsn, halfway)[:3] == ("processing", "Half of it.", None)
    assert job_row(dsn, failing)[0::4] == ("failed", "gave up")
    assert job_row(dsn, untouched)[0] == "completed"
    halfway_job = client.get(f"/api/jobs/{halfway}").json
    assert halfway_job["started_at"] and halfway_job["steps"][0]["usage"]["total_tokens"] == 5
    assert client.get(f"/api/jobs/{failing}").json["error"] == {"reason": "gave up", "code": "provider_5xx"}
