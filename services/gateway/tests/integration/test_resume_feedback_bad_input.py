"""Bad input to AI feedback and its webhook: problem+json 4xx, nothing stored, nothing published, nobody told."""

import json

import pytest
from feedback_kit import FEEDBACK_RESULT, Careers, completed, report

from shared.webhooks import WebhookSigner

UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def careers(client, webhook_secret, database_url):
    return Careers(client, webhook_secret, database_url.replace("+psycopg", ""))


def refused(answer, status: int) -> None:
    assert answer.status_code == status, answer.json
    assert answer.mimetype == "application/problem+json" and answer.json["status"] == status


def test_an_unknown_deleted_or_other_users_resume_or_posting_is_a_404_and_nothing_is_stored(
    client, careers, alice, bob
):
    resume_id, posting_id = careers.resume(alice), careers.posting(alice)
    gone_resume, gone_posting = careers.resume(alice), careers.posting(alice)
    client.delete(f"/api/resumes/{gone_resume}", headers=alice.headers)
    client.patch(f"/api/job-postings/{gone_posting}", headers=alice.headers)
    bobs_resume, bobs_posting = careers.resume(bob), careers.posting(bob)
    before = careers.stored(alice.user["id"])
    for args in [
        (UNKNOWN,),
        (gone_resume,),
        (bobs_resume,),
        (UNKNOWN, posting_id),
        (gone_resume, posting_id),
        (bobs_resume, posting_id),
        (resume_id, UNKNOWN),
        (resume_id, gone_posting),
        (resume_id, bobs_posting),
        ("not-a-uuid",),
        ("1",),
        (resume_id, "not-a-uuid"),
        ("x" * 300, posting_id),
    ]:
        refused(careers.ask(alice, *args), 404)
    assert careers.stored(alice.user["id"]) == before


def test_bad_credentials_are_a_401_and_nothing_is_stored(client, careers, alice):
    resume_id = careers.resume(alice)
    before = careers.stored(alice.user["id"])
    path = f"/api/resume_feedbacks/standard/{resume_id}"
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic YTpi"}):
        refused(client.post(path, headers=headers), 401)
    for path in ("/api/resume_feedbacks", f"/api/resume_feedbacks/{UNKNOWN}"):
        refused(client.get(path, headers={"Authorization": "Bearer not-a-token"}), 401)
    assert careers.stored(alice.user["id"]) == before


def test_another_users_feedback_is_a_404_everywhere(client, careers, alice, bob):
    feedback_id = careers.feedback(alice)
    for method in ("get", "delete"):
        refused(getattr(client, method)(f"/api/resume_feedbacks/{feedback_id}", headers=bob.headers), 404)
    refused(client.get("/api/resume_feedbacks/not-a-uuid", headers=alice.headers), 404)
    assert client.get("/api/resume_feedbacks", headers=bob.headers).json["total"] == 0
    assert client.get(f"/api/resume_feedbacks/{feedback_id}", headers=alice.headers).status_code == 200


@pytest.mark.parametrize("query", ["page=0", "page_size=0", "page_size=1000", "page=x"])
def test_bad_pages_are_a_422(client, alice, query):
    refused(client.get(f"/api/resume_feedbacks?{query}", headers=alice.headers), 422)


def test_a_body_that_is_not_json_is_a_415(client, careers, alice):
    resume_id = careers.resume(alice)
    before = careers.stored(alice.user["id"])
    answer = client.post(
        f"/api/resume_feedbacks/standard/{resume_id}", data="x=1", content_type="text/plain", headers=alice.headers
    )
    refused(answer, 415)
    assert careers.stored(alice.user["id"]) == before


def test_the_idempotency_key_replays_the_first_answer_and_refuses_another_request(client, careers, alice):
    resume_id, other = careers.resume(alice), careers.resume(alice)
    key = {"Idempotency-Key": "feedback-1"}
    first, again = careers.ask(alice, resume_id, **key), careers.ask(alice, resume_id, **key)
    assert first.status_code == again.status_code == 202 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json and again.headers["Location"] == first.headers["Location"]
    assert careers.stored(alice.user["id"])["feedbacks"] == 1
    before = careers.stored(alice.user["id"])
    refused(careers.ask(alice, other, **key), 422)  # the same key for another résumé
    refused(careers.ask(alice, other, **{"Idempotency-Key": "bad key\u00e9"}), 422)
    assert careers.stored(alice.user["id"]) == before


def test_a_bad_or_foreign_signature_is_a_401_and_changes_nothing(careers, alice, payments_secret):
    feedback_id = careers.ask(alice, careers.resume(alice)).json["feedback_id"]
    raw = json.dumps({"events": [completed("feedback", feedback_id, FEEDBACK_RESULT)]}).encode()
    refused(careers.post(None, body=raw, secret_signer=WebhookSigner(payments_secret)), 401)
    headers = careers.signer.headers(raw)
    tampered = raw.replace(b"67", b"99")
    answer = careers.client.post(
        "/api/webhooks/careers", data=tampered, headers=headers, content_type="application/json"
    )
    refused(answer, 401)
    refused(careers.client.post("/api/webhooks/careers", data=raw, content_type="application/json"), 401)
    assert careers.one("SELECT status FROM resume_feedbacks WHERE id = %s", feedback_id)[0] == "queued"


@pytest.mark.parametrize(
    "change",
    [
        {"type": "careers.done"},
        {"task": "poem"},
        {"task_id": "not-a-uuid"},
        {"occurred_at": "yesterday"},
        {"occurred_at": "2026-01-01T00:00:00"},  # no time zone
        {"attempt": 0},
        {"step": -1},
        {"data": {"provider": "offline", "model": "m"}},  # no result
        {"data": {"result": "text", "provider": "offline", "model": "m"}},
        {"id": ""},
    ],
    ids=lambda change: ",".join(change),
)
def test_a_signed_report_that_does_not_validate_is_a_422_and_the_batch_changes_nothing(careers, alice, change):
    feedback_id = careers.ask(alice, careers.resume(alice)).json["feedback_id"]
    good = report("feedback", feedback_id, "processing", -1)
    bad = {**completed("feedback", feedback_id, FEEDBACK_RESULT), **change}
    refused(careers.post([good, bad]), 422)
    assert careers.one("SELECT status FROM resume_feedbacks WHERE id = %s", feedback_id)[0] == "queued"


def test_one_report_without_a_batch_applies_and_an_unknown_task_is_not_found(careers, alice):
    feedback_id = careers.ask(alice, careers.resume(alice)).json["feedback_id"]
    single = json.dumps(report("feedback", feedback_id, "processing")).encode()
    assert careers.post(None, body=single).json["results"][0]["result"] == "applied"
    answer = careers.post([report("feedback", UNKNOWN, "processing"), report("rewrite", UNKNOWN, "processing")])
    assert [r["result"] for r in answer.json["results"]] == ["not_found", "not_found"]
    refused(careers.post([]), 422)
    refused(careers.post(None, body=b'{"events": "no"}'), 422)
    refused(careers.post(None, body=b"[1, 2]"), 422)
