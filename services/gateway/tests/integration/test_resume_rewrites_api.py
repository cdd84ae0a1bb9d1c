"""Résumés rewritten from a feedback: asked for with a 202 (the rewrite and its RewriteResume), only from the
caller's completed feedback, finished by a signed report into a new résumé of theirs linked to the feedback."""

import pytest
from feedback_kit import REWRITE_RESULT, Careers, completed, report


@pytest.fixture
def careers(client, webhook_secret, database_url):
    return Careers(client, webhook_secret, database_url.replace("+psycopg", ""))


def rewrite(client, who, feedback_id: str, kind: str = "posting"):
    return client.post(f"/api/resume_feedbacks/{kind}_resume/{feedback_id}", headers=who.headers)


def test_a_rewrite_makes_a_new_resume_linked_to_its_feedback(client, careers, alice):
    feedback_id = careers.feedback(alice)
    answer = rewrite(client, alice, feedback_id)
    assert answer.status_code == 202, answer.json
    rewrite_id = answer.json["id"]
    assert answer.headers["Location"] == f"/api/resume_rewrites/{rewrite_id}"
    assert (answer.json["status"], answer.json["resume_id"], answer.json["feedback_id"]) == (
        "queued",
        None,
        feedback_id,
    )
    command = careers.command("rewrite_id", rewrite_id)
    assert command["resume"]["title"] == "백엔드 개발자 이력서" and command["posting"]["company"] == "Toss"
    assert command["feedback"]["matching_rate"] == 67 and len(command["feedback"]["feedback_contents"]) == 4

    assert careers.post([completed("rewrite", rewrite_id, REWRITE_RESULT)]).json["results"][0]["result"] == "applied"
    shown = client.get(answer.headers["Location"], headers=alice.headers).json
    assert shown["status"] == "completed" and shown["links"]["resume"] == f"/api/resumes/{shown['resume_id']}"
    resume = client.get(shown["links"]["resume"], headers=alice.headers).json
    assert (resume["title"], resume["resume_type"], resume["source_feedback_id"]) == (
        REWRITE_RESULT["title"],
        "2",
        feedback_id,
    )
    assert (resume["name"], resume["birth_date"]) == ("김하늘", "1995-04-01")  # the original's personal fields
    assert [t["name"] for t in resume["technology_stacks"]] == ["Python", "Kubernetes"]
    assert careers.notifications(alice.user["id"], "resume_rewrite.completed") == 1

    again = careers.post([completed("rewrite", rewrite_id, REWRITE_RESULT, 1)])
    assert again.json["results"][0]["result"] == "stale"
    assert careers.stored(alice.user["id"])["resumes"] == 2


def test_a_standard_feedback_is_rewritten_as_type_3(client, careers, alice):
    rewrite_id = rewrite(client, alice, careers.feedback(alice, posting=False), "standard").json["id"]
    careers.post([completed("rewrite", rewrite_id, REWRITE_RESULT)])
    resume_id = client.get(f"/api/resume_rewrites/{rewrite_id}", headers=alice.headers).json["resume_id"]
    assert client.get(f"/api/resumes/{resume_id}", headers=alice.headers).json["resume_type"] == "3"


def test_a_rewrite_the_resume_rules_refuse_fails_and_adds_no_resume(client, careers, alice):
    rewrite_id = rewrite(client, alice, careers.feedback(alice)).json["id"]
    backwards = {**REWRITE_RESULT["experiences"][0], "start_date": "2024-01-01", "end_date": "2020-01-01"}
    answer = careers.post([completed("rewrite", rewrite_id, {**REWRITE_RESULT, "experiences": [backwards]})])
    assert answer.json["results"][0]["result"] == "invalid"
    shown = client.get(f"/api/resume_rewrites/{rewrite_id}", headers=alice.headers).json
    assert (shown["status"], shown["resume_id"], shown["error"]["code"]) == ("failed", None, "invalid_output")
    assert careers.stored(alice.user["id"])["resumes"] == 1
    assert careers.notifications(alice.user["id"], "resume_rewrite.failed") == 1


def test_a_rewrite_that_failed_at_the_worker_is_shown_failed(client, careers, alice):
    rewrite_id = rewrite(client, alice, careers.feedback(alice)).json["id"]
    careers.post([report("rewrite", rewrite_id, "failed", reason="model refused", code="provider")])
    shown = client.get(f"/api/resume_rewrites/{rewrite_id}", headers=alice.headers).json
    assert shown["error"] == {"reason": "model refused", "code": "provider"} and shown["resume_id"] is None


@pytest.mark.parametrize("kind", ["standard", "posting"])
def test_a_rewrite_needs_a_completed_feedback_of_its_kind_whose_resume_exists(client, careers, alice, kind):
    resume_id = careers.resume(alice)
    posting_id = careers.posting(alice) if kind == "posting" else None
    queued = careers.ask(alice, resume_id, posting_id).json["feedback_id"]
    wrong_kind = careers.feedback(alice, posting=kind != "posting")
    gone = careers.feedback(alice, posting=kind == "posting")
    gone_resume = careers.one("SELECT resume_id FROM resume_feedbacks WHERE id = %s", gone)[0]
    client.delete(f"/api/resumes/{gone_resume}", headers=alice.headers)
    before = careers.stored(alice.user["id"])
    for feedback_id, detail in ((queued, "queued"), (wrong_kind, "feedback"), (gone, "deleted")):
        answer = rewrite(client, alice, feedback_id, kind)
        assert answer.status_code == 409 and answer.mimetype == "application/problem+json"
        assert detail in answer.json["detail"]
    assert careers.stored(alice.user["id"]) == before


def test_another_users_deleted_or_unknown_feedback_cannot_be_rewritten_and_nothing_is_stored(
    client, careers, alice, bob
):
    mine = careers.feedback(alice)
    deleted = careers.feedback(alice)
    client.delete(f"/api/resume_feedbacks/{deleted}", headers=alice.headers)
    before, bobs = careers.stored(alice.user["id"]), careers.stored(bob.user["id"])
    for who, feedback_id in ((bob, mine), (alice, deleted), (alice, "00000000-0000-4000-8000-000000000000")):
        for kind in ("standard", "posting"):
            answer = rewrite(client, who, feedback_id, kind)
            assert answer.status_code == 404 and answer.mimetype == "application/problem+json"
    for bad in ("not-a-uuid", "1", "%00"):
        assert rewrite(client, alice, bad).status_code == 404
    assert careers.stored(alice.user["id"]) == before and careers.stored(bob.user["id"]) == bobs


def test_a_rewrite_is_its_owners_alone(client, careers, alice, bob):
    rewrite_id = rewrite(client, alice, careers.feedback(alice)).json["id"]
    assert client.get(f"/api/resume_rewrites/{rewrite_id}", headers=bob.headers).status_code == 404
    assert client.get(f"/api/resume_rewrites/{rewrite_id}").status_code == 401
    assert client.get("/api/resume_rewrites/not-a-uuid", headers=alice.headers).status_code == 404


def test_a_rewrite_request_replayed_with_its_idempotency_key_makes_one_rewrite(client, careers, alice):
    feedback_id = careers.feedback(alice)
    headers = {**alice.headers, "Idempotency-Key": "rewrite-once"}
    first = client.post(f"/api/resume_feedbacks/posting_resume/{feedback_id}", headers=headers)
    again = client.post(f"/api/resume_feedbacks/posting_resume/{feedback_id}", headers=headers)
    assert first.status_code == again.status_code == 202 and again.headers["Idempotent-Replayed"] == "true"
    assert first.json["id"] == again.json["id"] and again.headers["Location"] == first.headers["Location"]
    assert careers.stored(alice.user["id"])["rewrites"] == 1
