"""AI résumé feedback: asked for with a 202 (the feedback and its ReviewResume in one transaction), finished by
signed worker reports (once, forward only, checked), read, listed and deleted by its owner alone."""

import pytest
from feedback_kit import FEEDBACK_RESULT, Careers, completed, report


@pytest.fixture
def careers(client, webhook_secret, database_url):
    return Careers(client, webhook_secret, database_url.replace("+psycopg", ""))


def test_a_standard_feedback_is_queued_with_its_command_in_one_go(client, careers, alice):
    resume_id = careers.resume(alice, title="내 이력서")
    before = careers.commands()
    answer = careers.ask(alice, resume_id)
    assert answer.status_code == 202, answer.json
    body = answer.json
    assert body["feedback_id"] == body["id"] and body["status"] == "queued" and body["kind"] == "standard"
    assert answer.headers["Location"] == f"/api/resume_feedbacks/{body['id']}" == body["links"]["self"]
    assert careers.commands() == before + 1
    command = careers.command("feedback_id", body["id"])
    assert command["resume"]["title"] == "내 이력서" and command["posting"] is None
    assert command["resume"]["experiences"][0]["job_title"] == "Backend engineer 0"
    assert "id" not in command["resume"]["experiences"][0]
    shown = client.get(body["links"]["self"], headers=alice.headers).json
    assert (shown["status"], shown["resume_title"], shown["company"], shown["contents"]) == (
        "queued",
        "내 이력서",
        None,
        [],
    )


def test_a_posting_feedback_completes_with_its_points_labelled_in_order_and_its_owner_hears_once(
    client, careers, alice
):
    resume_id, posting_id = careers.resume(alice), careers.posting(alice)
    feedback_id = careers.ask(alice, resume_id, posting_id).json["feedback_id"]
    command = careers.command("feedback_id", feedback_id)
    assert command["posting"]["company"] == "Toss" and command["posting"]["qualification"].startswith("Python")
    events = [report("feedback", feedback_id, "processing", -2), completed("feedback", feedback_id, FEEDBACK_RESULT)]
    answer = careers.post(events)
    assert answer.status_code == 200 and [r["result"] for r in answer.json["results"]] == ["applied", "applied"]
    shown = client.get(f"/api/resume_feedbacks/{feedback_id}", headers=alice.headers).json
    assert (shown["status"], shown["matching_rate"], shown["company"], shown["posting_title"]) == (
        "completed",
        67,
        "Toss",
        "Backend engineer",
    )
    assert shown["parent_content"] == FEEDBACK_RESULT["parent_content"] and shown["error"] is None
    points = [(c["division"], c["label_en"], c["label_ko"], c["result"]) for c in shown["contents"]]
    assert points == [
        ("1", "Strengths", "잘된 부분", FEEDBACK_RESULT["feedback_contents"][0]["result"]),
        ("2", "Must fix", "필수 수정사항", FEEDBACK_RESULT["feedback_contents"][1]["result"]),
        ("3", "Suggestions", "개선 제안사항", FEEDBACK_RESULT["feedback_contents"][2]["result"]),
        ("4", "Further recommendations", "추가 권장사항", FEEDBACK_RESULT["feedback_contents"][3]["result"]),
    ]
    inbox = client.get("/api/notifications", headers=alice.headers).json["items"]
    told = [n for n in inbox if n["type"].startswith("resume_feedback.")]
    assert [n["type"] for n in told] == ["resume_feedback.completed"] and "백엔드 개발자 이력서" in told[0]["body"]


def test_a_replayed_webhook_has_no_second_effect(careers, alice):
    feedback_id = careers.ask(alice, careers.resume(alice)).json["feedback_id"]
    events = [completed("feedback", feedback_id, FEEDBACK_RESULT)]
    first = careers.post(events, webhook_id="msg_careers_replay_" + feedback_id)
    again = careers.post(events, webhook_id="msg_careers_replay_" + feedback_id)
    assert first.json["replayed"] is False and again.json["replayed"] is True
    assert again.json["results"] == first.json["results"]
    query = "SELECT count(*) FROM resume_feedback_contents WHERE feedback_id = %s"
    assert careers.one(query, feedback_id)[0] == 4
    assert careers.notifications(alice.user["id"]) == 1


def test_a_duplicate_report_and_a_stale_one_after_completion_change_nothing(client, careers, alice):
    feedback_id = careers.ask(alice, careers.resume(alice)).json["feedback_id"]
    careers.post([completed("feedback", feedback_id, FEEDBACK_RESULT)])
    changed = {**FEEDBACK_RESULT, "matching_rate": 5}
    late = [
        completed("feedback", feedback_id, changed, 1),
        report("feedback", feedback_id, "processing", 2),
        report("feedback", feedback_id, "failed", 3, reason="late", code="x"),
    ]
    answer = careers.post(late)
    assert [r["result"] for r in answer.json["results"]] == ["stale"] * 3
    shown = client.get(f"/api/resume_feedbacks/{feedback_id}", headers=alice.headers).json
    assert (shown["status"], shown["matching_rate"], len(shown["contents"])) == ("completed", 67, 4)
    assert careers.notifications(alice.user["id"]) == 1


def test_a_batch_about_several_feedbacks_applies_each_report_in_order_once(client, careers, alice):
    first, second, third = (careers.ask(alice, careers.resume(alice)).json["feedback_id"] for _ in range(3))
    unknown = "00000000-0000-4000-8000-000000000000"
    changed = {**FEEDBACK_RESULT, "matching_rate": 5, "feedback_contents": FEEDBACK_RESULT["feedback_contents"][:1]}
    events = [
        report("feedback", first, "processing", -3),
        report("feedback", second, "processing", -3),
        completed("feedback", first, FEEDBACK_RESULT, -2),
        report("feedback", first, "processing", -1),
        completed("feedback", first, changed, 0),
        report("feedback", unknown, "processing", 0),
        report("feedback", second, "processing", -4),
        report("feedback", second, "failed", -1, reason="provider down", code="provider"),
        report("feedback", third, "retrying", -1, reason="rate limited", code="rate_limit"),
    ]
    answer = careers.post(events).json
    outcomes = ["applied", "applied", "applied", "stale", "stale", "not_found", "stale", "applied", "applied"]
    assert [r["result"] for r in answer["results"]] == outcomes
    again = careers.post(events).json  # the same reports under a new webhook id
    assert [r["result"] for r in again["results"]] == ["stale"] * 5 + ["not_found", "stale", "stale", "stale"]
    shown = {f: client.get(f"/api/resume_feedbacks/{f}", headers=alice.headers).json for f in (first, second, third)}
    assert (shown[first]["status"], shown[first]["matching_rate"], len(shown[first]["contents"])) == (
        "completed",
        67,
        4,
    )
    assert shown[first]["parent_content"] == FEEDBACK_RESULT["parent_content"]
    assert (shown[second]["status"], shown[second]["error"]["code"]) == ("failed", "provider")
    assert shown[third]["status"] == "retrying"
    assert careers.one("SELECT error_code FROM resume_feedbacks WHERE id = %s", third)[0] == "rate_limit"
    query = "SELECT count(*) FROM resume_feedback_contents WHERE feedback_id = ANY(%s::uuid[])"
    assert careers.one(query, [first, second, third])[0] == 4
    assert careers.notifications(alice.user["id"], "resume_feedback.completed") == 1
    assert careers.notifications(alice.user["id"], "resume_feedback.failed") == 1


def test_an_invalid_result_fails_the_feedback_with_invalid_output_and_keeps_nothing(client, careers, alice):
    feedback_id = careers.ask(alice, careers.resume(alice)).json["feedback_id"]
    bad = {**FEEDBACK_RESULT, "matching_rate": 101, "feedback_contents": [{"division": "7", "result": "?"}]}
    answer = careers.post([completed("feedback", feedback_id, bad)])
    assert answer.status_code == 200 and answer.json["results"][0]["result"] == "invalid"
    shown = client.get(f"/api/resume_feedbacks/{feedback_id}", headers=alice.headers).json
    assert shown["status"] == "failed" and shown["error"]["code"] == "invalid_output"
    assert "matching_rate" in shown["error"]["reason"] and shown["contents"] == [] and shown["matching_rate"] is None
    assert careers.notifications(alice.user["id"], "resume_feedback.failed") == 1


def test_a_failure_is_shown_with_its_reason(client, careers, alice):
    feedback_id = careers.ask(alice, careers.resume(alice)).json["feedback_id"]
    careers.post([report("feedback", feedback_id, "retrying", -1, reason="rate limited", code="rate_limit")])
    assert client.get(f"/api/resume_feedbacks/{feedback_id}", headers=alice.headers).json["status"] == "retrying"
    careers.post([report("feedback", feedback_id, "failed", 0, attempt=3, reason="provider down", code="provider")])
    shown = client.get(f"/api/resume_feedbacks/{feedback_id}", headers=alice.headers).json
    assert (shown["status"], shown["error"], shown["attempts"]) == (
        "failed",
        {"reason": "provider down", "code": "provider"},
        3,
    )


def test_the_list_is_the_callers_live_feedback_newest_first_in_pages(client, careers, accounts):
    carol, dave = accounts.new(), accounts.new()
    made = [careers.feedback(carol, posting=n % 2 == 0) for n in range(3)]
    careers.ask(dave, careers.resume(dave))
    client.delete(f"/api/resume_feedbacks/{made[1]}", headers=carol.headers)
    first = client.get("/api/resume_feedbacks?page=1&page_size=1", headers=carol.headers).json
    assert (first["total"], first["pages"], [f["feedback_id"] for f in first["items"]]) == (2, 2, [made[2]])
    item = first["items"][0]
    assert set(item) == {
        "feedback_id",
        "kind",
        "company",
        "posting_title",
        "resume_title",
        "content_count",
        "matching_rate",
        "status",
        "created_at",
    }
    assert (item["company"], item["content_count"], item["matching_rate"], item["status"]) == (
        "Toss",
        4,
        67,
        "completed",
    )
    second = client.get("/api/resume_feedbacks?page=2&page_size=1", headers=carol.headers).json
    assert [f["feedback_id"] for f in second["items"]] == [made[0]]


def test_a_feedback_stays_readable_after_its_resume_and_posting_are_deleted(client, careers, alice):
    resume_id, posting_id = careers.resume(alice, title="지워질 이력서"), careers.posting(alice, company="Kakao")
    feedback_id = careers.ask(alice, resume_id, posting_id).json["feedback_id"]
    client.delete(f"/api/resumes/{resume_id}", headers=alice.headers)
    client.delete(f"/api/job-postings/{posting_id}", headers=alice.headers)
    shown = client.get(f"/api/resume_feedbacks/{feedback_id}", headers=alice.headers).json
    assert (shown["resume_title"], shown["company"]) == ("지워질 이력서", "Kakao")


def test_deleting_a_feedback_takes_it_out_of_every_read(client, careers, alice, bob):
    feedback_id = careers.feedback(alice)
    path = f"/api/resume_feedbacks/{feedback_id}"
    assert client.delete(path, headers=bob.headers).status_code == 404
    assert client.delete(path, headers=alice.headers).status_code == 204
    assert client.get(path, headers=alice.headers).status_code == 404
    assert client.delete(path, headers=alice.headers).status_code == 404
    assert client.get("/api/resume_feedbacks", headers=alice.headers).json["total"] == 0
