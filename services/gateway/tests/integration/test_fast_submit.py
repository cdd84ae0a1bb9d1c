"""The fast path of POST /api/jobs: the view's answer byte for byte, and every other request left to the view."""

import json
import re
import uuid

import psycopg
import pytest
from fast_paths_kit import DEAD_DATABASE, with_fast_paths
from werkzeug.test import Client

from gateway.fastpaths.submit import FastSubmit

TEXT = "All visitors must sign in at the front desk. Wear a badge at all times."
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00")


@pytest.fixture(scope="module")
def app(gateway_settings):
    return with_fast_paths(gateway_settings)


def fast_path(app) -> FastSubmit:
    return app.wsgi_app


def view_only(app) -> Client:
    """A client of the app without the fast path: Flask, flask-smorest and the view."""
    return Client(fast_path(app)._inner, app.response_class)


def count_jobs(database_url: str) -> int:
    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        return conn.execute("SELECT count(*) FROM jobs").fetchone()[0]


def environ(body: bytes, content_type: str = "application/json", **extra) -> dict:
    from werkzeug.test import EnvironBuilder

    return EnvironBuilder(path="/api/jobs", method="POST", data=body, content_type=content_type, **extra).get_environ()


def masked(data: bytes) -> bytes:
    return STAMP.sub("<time>", UUID.sub("<id>", data.decode())).encode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_fast_answer_is_the_views_byte_for_byte(app, client, accounts, signed_in):
    headers = accounts.new().headers if signed_in else {}
    fast = client.post("/api/jobs", json={"text": TEXT}, headers=headers)
    assert fast_path(app)._submit(environ(json.dumps({"text": TEXT}).encode(), headers=headers)) is not None
    slow = view_only(app).post("/api/jobs", json={"text": TEXT}, headers=headers)
    assert fast.status == slow.status == "202 ACCEPTED"
    assert [(k, UUID.sub("<id>", v)) for k, v in fast.headers] == [(k, UUID.sub("<id>", v)) for k, v in slow.headers]
    assert masked(fast.data) == masked(slow.data)
    job = client.get(fast.headers["Location"], headers=headers).json
    assert job["status"] == "queued" and job["text_length"] == len(TEXT)


def test_a_fast_submission_belongs_to_its_caller(client, accounts):
    alice, bob = accounts.new(), accounts.new()
    location = client.post("/api/jobs", json={"text": TEXT}, headers=alice.headers).headers["Location"]
    assert client.get(location, headers=alice.headers).status_code == 200
    assert client.get(location, headers=bob.headers).status_code == 404
    listed = client.get("/api/jobs", headers=alice.headers).json["items"]
    assert location.rsplit("/", 1)[1] in [item["event_id"] for item in listed]


LEFT_TO_THE_VIEW = [
    ("blank text", json.dumps({"text": "   "}).encode(), "application/json", {}, 422),
    ("another field", json.dumps({"text": TEXT, "priority": 1}).encode(), "application/json", {}, 422),
    ("text not a string", json.dumps({"text": 42}).encode(), "application/json", {}, 422),
    ("a list", json.dumps([{"text": TEXT}]).encode(), "application/json", {}, 422),
    ("not JSON", b'{"text": "unterminated', "application/json", {}, 400),
    ("form content type", b"text=hello", "application/x-www-form-urlencoded", {}, 415),
    ("text over the limit", json.dumps({"text": "a" * (200 * 1024 + 1)}).encode(), "application/json", {}, 422),
    ("a bad token", json.dumps({"text": TEXT}).encode(), "application/json", {"Authorization": "Bearer nope"}, 401),
    ("not bearer", json.dumps({"text": TEXT}).encode(), "application/json", {"Authorization": "Basic eDp5"}, 401),
    # what the decoding layer and the text field refuse (the fast path once stored a NUL: a 500)
    ("a NUL in the text", json.dumps({"text": "a\x00b"}).encode(), "application/json", {}, 400),
    ("a NUL in a key", json.dumps({"text": TEXT, "a\x00": 1}).encode(), "application/json", {}, 400),
    ("a lone surrogate", b'{"text": "a\\ud800b"}', "application/json", {}, 400),
    ("10,000 levels deep", b'{"text": "a", "b": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", "application/json", {}, 400),
    ("a 5,000-digit number", b'{"text": ' + b"9" * 5000 + b"}", "application/json", {}, 400),
    ("a right-to-left override", json.dumps({"text": "a\u202eb"}).encode(), "application/json", {}, 422),
    ("a control character", json.dumps({"text": "a\x1b[2Jb"}).encode(), "application/json", {}, 422),
]


@pytest.mark.parametrize(("case", "body", "content_type", "headers", "status"), LEFT_TO_THE_VIEW)
def test_anything_else_is_left_to_the_view_unread_and_answered_as_before(
    app, client, database_url, case, body, content_type, headers, status
):
    before = count_jobs(database_url)
    env = environ(body, content_type, headers=headers)
    assert fast_path(app)._submit(env) is None, case
    assert env["wsgi.input"].read() == body  # the view still gets the whole body
    response = client.post("/api/jobs", data=body, content_type=content_type, headers=headers)
    assert response.status_code == status, (case, response.json)
    assert response.content_type == "application/problem+json"
    assert view_only(app).post("/api/jobs", data=body, content_type=content_type, headers=headers).json == response.json
    assert count_jobs(database_url) == before


def test_text_of_several_lines_with_tabs_takes_the_fast_path(app):
    body = json.dumps({"text": "Rules:\n\t1. Sign in.\r\n\t2. Wear a badge."}).encode()
    assert fast_path(app)._submit(environ(body))[0] == "202 ACCEPTED"


def test_without_anonymous_jobs_an_anonymous_submission_gets_the_views_401(gateway_settings, database_url):
    app = with_fast_paths(gateway_settings, allow_anonymous_jobs=False)
    before = count_jobs(database_url)
    response = app.test_client().post("/api/jobs", json={"text": TEXT})
    assert response.status_code == 401 and response.content_type == "application/problem+json"
    assert count_jobs(database_url) == before


def test_a_database_that_cannot_be_reached_is_a_503_problem_and_nothing_stored(gateway_settings):
    app = with_fast_paths(gateway_settings, database_url=DEAD_DATABASE)
    response = app.test_client().post("/api/jobs", json={"text": TEXT})
    assert response.status_code == 503 and response.content_type == "application/problem+json"
    assert response.json["status"] == 503


def test_other_methods_and_paths_are_untouched(client):
    job = client.post("/api/jobs", json={"text": TEXT}).json
    assert client.get(f"/api/jobs/{job['event_id']}").status_code == 200
    assert client.post(f"/api/jobs/{uuid.uuid4()}", json={"text": TEXT}).status_code == 405
    assert client.put("/api/jobs", json={"text": TEXT}).status_code == 405
