"""POST/GET /api/jobs against the real database: the happy path and every kind of bad input."""

import uuid

import psycopg
import pytest

GUIDELINE = "All visitors must sign in at the front desk. Badges must be worn at all times."


def count(dsn: str, table: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_post_records_the_job_and_its_outbox_message_in_one_go(client, clean_tables):
    response = client.post("/api/jobs", json={"text": GUIDELINE})
    assert response.status_code == 202
    body = response.json
    assert body["status"] == "queued"
    assert response.headers["Location"] == f"/api/jobs/{body['event_id']}"
    assert count(clean_tables, "jobs") == 1
    with psycopg.connect(clean_tables) as conn:
        exchange, key, payload = conn.execute("SELECT exchange, routing_key, payload FROM outbox").fetchone()
    assert (exchange, key) == ("jobs", "job.run")
    assert payload["job_id"] == body["event_id"] and payload["text"] == GUIDELINE and payload["version"] == 1


def test_get_shows_the_job_and_trailing_slash_is_optional(client):
    event_id = client.post("/api/jobs/", json={"text": GUIDELINE}).json["event_id"]
    for path in (f"/api/jobs/{event_id}", f"/api/jobs/{event_id}/"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.json["event_id"] == event_id
        assert response.json["result"] is None and response.json["steps"] == []


def test_list_is_newest_first_and_paginated(client, clean_tables, alice):
    post = {"headers": alice.headers}
    ids = [client.post("/api/jobs", json={"text": f"Rule {i}. Do it."}, **post).json["event_id"] for i in range(5)]
    page = client.get("/api/jobs?page=1&page_size=2", **post).json
    assert [j["event_id"] for j in page["items"]] == ids[::-1][:2]
    assert (page["total"], page["pages"], page["page"]) == (5, 3, 1)
    last = client.get("/api/jobs?page=3&page_size=2", **post).json
    assert [j["event_id"] for j in last["items"]] == [ids[0]]
    assert client.get("/api/jobs?status=completed", **post).json["total"] == 0


BAD_BODIES = [
    ({"text": ""}, 422, "/text"),
    ({"text": "   \n\t "}, 422, "/text"),
    ({}, 422, "/text"),
    ({"text": 42}, 422, "/text"),
    ({"text": ["a"]}, 422, "/text"),
    ({"text": "ok", "surprise": 1}, 422, "/surprise"),
    ({"text": "x" * (200 * 1024 + 1)}, 422, "/text"),
    ({"text": "가" * 70_000}, 422, "/text"),
]


@pytest.mark.parametrize(("body", "status", "pointer"), BAD_BODIES)
def test_bad_bodies_get_problem_json_and_create_nothing(client, clean_tables, body, status, pointer):
    response = client.post("/api/jobs", json=body)
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    problem = response.json
    assert problem["type"] == "/problems/validation-error" and problem["status"] == status
    assert pointer in [e["pointer"] for e in problem["errors"]]
    assert count(clean_tables, "jobs") == 0 and count(clean_tables, "outbox") == 0


def test_not_json_wrong_type_and_huge_bodies(client, clean_tables):
    cases = [
        (client.post("/api/jobs", data="{not json", content_type="application/json"), 400, "malformed-json"),
        (
            client.post("/api/jobs", data="text=hi", content_type="application/x-www-form-urlencoded"),
            415,
            "unsupported-media-type",
        ),
        (client.post("/api/jobs", data='{"text": "hi"}', content_type="text/plain"), 415, "unsupported-media-type"),
        (client.post("/api/jobs", data=b"\xff\xfe", content_type="application/json"), 400, "malformed-json"),
        (client.post("/api/jobs", data="[1, 2]", content_type="application/json"), 422, "validation-error"),
        (
            client.post("/api/jobs", data="x" * (2 * 1024 * 1024), content_type="application/json"),
            413,
            "payload-too-large",
        ),
    ]
    for response, status, kind in cases:
        assert response.status_code == status, response.json
        assert response.content_type == "application/problem+json"
        assert response.json["type"] == f"/problems/{kind}"
        assert "Traceback" not in response.get_data(as_text=True)
    assert count(clean_tables, "jobs") == 0 and count(clean_tables, "outbox") == 0


def test_unknown_and_malformed_ids_are_404_problems(client):
    for path, hint in (
        (f"/api/jobs/{uuid.uuid4()}", "no job"),
        ("/api/jobs/not-a-uuid", "not a job id"),
        ("/api/jobs/' OR 1=1 --", "not a job id"),
    ):
        response = client.get(path)
        assert response.status_code == 404
        assert response.content_type == "application/problem+json"
        assert hint in response.json["detail"]


def test_bad_query_parameters(client, alice):
    for query in ("page=0", "page=abc", "page_size=0", "page_size=101", "status=done"):
        response = client.get(f"/api/jobs?{query}", headers=alice.headers)
        assert response.status_code == 422, query
        assert response.json["errors"][0]["location"] == "query"


def test_unknown_route_and_method_are_problems(client):
    assert client.get("/api/nothing-here").json["type"] == "/problems/not-found"
    response = client.delete("/api/jobs")
    assert response.status_code == 405 and response.content_type == "application/problem+json"
