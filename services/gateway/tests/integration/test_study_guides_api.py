"""Study guides: asked for from a finished feedback or a posting (202 and a BuildStudyGuide in one transaction),
finished by signed worker reports (once, forward only, checked), read, listed and deleted by their owner alone."""

import pytest
from feedback_kit import FEEDBACK_RESULT, Careers, completed, report

ITEMS = [
    {"title": "Kubernetes", "content": "Deploy with Helm.", "keywords": ["k8s", "helm"], "priority": "1",
     "estimated_hours": 20},
    {"title": "RabbitMQ", "content": "Quorum queues.", "keywords": ["amqp"], "priority": "2", "estimated_hours": 8},
    {"title": "Go", "content": "A Tour of Go.", "keywords": [], "priority": "3", "estimated_hours": 6},
]  # fmt: skip
GUIDE = {
    "title": "Toss backend gaps",
    "description": "What the posting asks for.",
    "items": ITEMS,
}
UUID = "0b5c8f9e-5a43-4f0e-9a2b-6f1d3c2e7a10"


@pytest.fixture
def careers(client, webhook_secret, database_url):
    return Careers(client, webhook_secret, database_url.replace("+psycopg", ""))


def ask(client, who, **body):
    return client.post("/api/study-guides", json=body, headers=who.headers)


def command(careers, guide_id: str) -> dict:
    return careers.one("SELECT payload FROM outbox WHERE payload->>'guide_id' = %s", guide_id)[0]


def guides_of(careers, who) -> int:
    return careers.one("SELECT count(*) FROM study_guides WHERE owner_id = %s", who.user["id"])[0]


def test_a_guide_from_a_feedback_carries_its_findings_and_completes_with_its_items_in_order(client, careers, alice):
    feedback_id = careers.feedback(alice)
    answer = ask(client, alice, feedback_id=feedback_id)
    assert answer.status_code == 202, answer.json
    guide = answer.json
    assert (guide["status"], guide["feedback_id"], guide["items"]) == ("queued", feedback_id, [])
    assert answer.headers["Location"] == f"/api/study-guides/{guide['id']}" == guide["links"]["self"]
    sent = command(careers, guide["id"])
    assert sent["feedback"]["matching_rate"] == FEEDBACK_RESULT["matching_rate"]
    assert sent["feedback"]["feedback_contents"] == FEEDBACK_RESULT["feedback_contents"]
    assert (sent["resume"]["title"], sent["posting"]["company"]) == ("백엔드 개발자 이력서", "Toss")

    events = [report("study_guide", guide["id"], "processing", -1), completed("study_guide", guide["id"], GUIDE)]
    assert [r["result"] for r in careers.post(events).json["results"]] == ["applied", "applied"]
    shown = client.get(f"/api/study-guides/{guide['id']}", headers=alice.headers).json
    assert (shown["status"], shown["title"], shown["description"], shown["item_count"]) == (
        "completed",
        GUIDE["title"],
        GUIDE["description"],
        3,
    )
    assert [{k: v for k, v in item.items() if k != "position"} for item in shown["items"]] == ITEMS
    assert [item["position"] for item in shown["items"]] == [1, 2, 3]
    assert careers.notifications(alice.user["id"], "study_guide.completed") == 1
    listed = client.get("/api/study-guides", headers=alice.headers).json
    assert [g["id"] for g in listed["items"]] == [guide["id"]] and "items" not in listed["items"][0]


def test_a_guide_from_a_posting_compares_the_newest_resume_or_the_one_named(client, careers, alice):
    older, newer = careers.resume(alice, title="Older"), careers.resume(alice, title="Newer")
    posting_id = careers.posting(alice)
    by_default = ask(client, alice, posting_id=posting_id).json
    named = ask(client, alice, posting_id=posting_id, resume_id=older).json
    assert command(careers, by_default["id"])["resume"]["title"] == "Newer" and newer
    assert command(careers, named["id"])["resume"]["title"] == "Older"
    assert command(careers, named["id"])["posting"]["qualification"].startswith("Python")
    assert command(careers, named["id"])["feedback"] is None


def test_a_posting_without_any_resume_still_makes_a_guide(client, careers, bob):
    guide = ask(client, bob, posting_id=careers.posting(bob)).json
    assert command(careers, guide["id"])["resume"] is None


def test_replayed_and_repeated_reports_have_no_second_effect(client, careers, alice):
    guide = ask(client, alice, posting_id=careers.posting(alice)).json
    event = completed("study_guide", guide["id"], GUIDE)
    first = careers.post([event], webhook_id=f"msg_guide_{guide['id']}").json
    replay = careers.post([event], webhook_id=f"msg_guide_{guide['id']}").json
    assert (first["replayed"], replay["replayed"], replay["results"]) == (False, True, first["results"])
    late = careers.post([report("study_guide", guide["id"], "failed", 5, reason="late")]).json
    assert late["results"][0]["result"] == "stale"
    shown = client.get(f"/api/study-guides/{guide['id']}", headers=alice.headers).json
    assert (shown["status"], shown["item_count"]) == ("completed", 3)
    assert careers.one("SELECT count(*) FROM study_items WHERE guide_id = %s", guide["id"])[0] == 3
    assert careers.notifications(alice.user["id"], "study_guide.%") == 1


def test_an_unusable_result_fails_the_guide(client, careers, alice):
    guide = ask(client, alice, posting_id=careers.posting(alice)).json
    bad = {**GUIDE, "items": [{**ITEMS[0], "priority": "9"}]}
    assert careers.post([completed("study_guide", guide["id"], bad)]).json["results"][0]["result"] == "invalid"
    shown = client.get(f"/api/study-guides/{guide['id']}", headers=alice.headers).json
    assert (shown["status"], shown["error"]["code"], shown["items"]) == ("failed", "invalid_output", [])
    assert careers.notifications(alice.user["id"], "study_guide.failed") == 1


def test_a_deleted_guide_leaves_every_read_and_takes_no_report(client, careers, alice, bob):
    guide = ask(client, alice, posting_id=careers.posting(alice)).json
    path = f"/api/study-guides/{guide['id']}"
    assert client.delete(path, headers=bob.headers).status_code == 404
    assert client.delete(path, headers=alice.headers).status_code == 204
    assert client.get(path, headers=alice.headers).status_code == 404
    assert client.delete(path, headers=alice.headers).status_code == 404
    assert client.get("/api/study-guides", headers=alice.headers).json["total"] == 0
    late = careers.post([completed("study_guide", guide["id"], GUIDE)]).json
    assert late["results"][0]["result"] == "stale"
    assert careers.one("SELECT count(*) FROM study_items WHERE guide_id = %s", guide["id"])[0] == 0


def test_a_feedback_still_running_is_a_409(client, careers, alice):
    resume_id = careers.resume(alice)
    feedback_id = careers.ask(alice, resume_id).json["feedback_id"]
    refused = ask(client, alice, feedback_id=feedback_id)
    assert refused.status_code == 409 and "not finished" in refused.json["detail"]
    assert guides_of(careers, alice) == 0


def test_another_users_guide_feedback_posting_and_resume_are_404s(client, careers, alice, bob):
    feedback_id, posting_id, resume_id = careers.feedback(alice), careers.posting(alice), careers.resume(alice)
    guide = ask(client, alice, feedback_id=feedback_id).json
    assert client.get(f"/api/study-guides/{guide['id']}", headers=bob.headers).status_code == 404
    assert client.get("/api/study-guides", headers=bob.headers).json["total"] == 0
    for body in (
        {"feedback_id": feedback_id},
        {"posting_id": posting_id},
        {"posting_id": careers.posting(bob), "resume_id": resume_id},
    ):
        refused = ask(client, bob, **body)
        assert refused.status_code == 404 and refused.content_type == "application/problem+json"
    assert guides_of(careers, bob) == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"feedback_id": None, "posting_id": None},
        {"feedback_id": UUID, "posting_id": UUID},
        {"feedback_id": UUID, "resume_id": UUID},
        {"resume_id": UUID},
        {"feedback_id": "not-a-uuid"},
        {"posting_id": 7},
        {"posting_id": UUID, "extra": "x"},
        ["posting_id"],
    ],
)
def test_bad_bodies_are_422s_and_record_nothing(client, careers, alice, body):
    refused = client.post("/api/study-guides", json=body, headers=alice.headers)
    assert refused.status_code == 422 and refused.content_type == "application/problem+json", refused.json
    assert refused.json.get("errors")
    assert guides_of(careers, alice) == 0


def test_unknown_ids_and_malformed_requests_are_problems(client, careers, alice):
    for body in ({"feedback_id": UUID}, {"posting_id": UUID}):
        assert ask(client, alice, **body).status_code == 404
    for url in ("/api/study-guides/not-a-uuid", f"/api/study-guides/{UUID}"):
        assert client.get(url, headers=alice.headers).status_code == 404
    as_text = client.post("/api/study-guides", data="x", headers=alice.headers, content_type="text/plain")
    broken = client.post("/api/study-guides", data=b"{", headers=alice.headers, content_type="application/json")
    assert (as_text.status_code, broken.status_code) == (415, 400)
    assert client.get("/api/study-guides?page_size=1000", headers=alice.headers).status_code == 422
    assert guides_of(careers, alice) == 0
