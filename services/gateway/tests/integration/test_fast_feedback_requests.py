"""The fast path of feedback requests: the view's answer and rows but for the new ids, everything else left to it."""

import json
import uuid

import psycopg
import pytest
from fast_paths_kit import DEAD_DATABASE, built, layer_kinds, middleware, sign_in, with_fast_paths
from fast_paths_kit import view_only as kit_view_only
from feedback_kit import POSTING
from resumes_kit import resume_body
from werkzeug.test import Client, EnvironBuilder

from gateway.fastpaths.feedback_requests import FeedbackRequests

FEEDBACK_COLUMNS = "owner_id, kind, resume_id, posting_id, resume_title, company, posting_title, status, attempts"


@pytest.fixture(scope="module")
def app(gateway_settings):
    return with_fast_paths(gateway_settings)


def fast_path(app) -> FeedbackRequests:
    return middleware(app, FeedbackRequests)


def view_only(app) -> Client:
    return kit_view_only(app, FeedbackRequests)


def answered_fast(app, path: str, headers: dict, method: str = "POST", **extra) -> bool:
    env = EnvironBuilder(path=path, method=method, headers=headers, **extra).get_environ()
    return fast_path(app)._request(env) is not None


@pytest.fixture(scope="module")
def owner(app):
    """A user with a résumé, a posting, a deleted posting and an API key; and another user's résumé."""
    client = Client(app, app.response_class)
    headers = sign_in(client)
    resume = client.post("/api/resumes", json=resume_body(items=2), headers=headers).json["id"]
    posting = client.post("/api/job-postings", json=POSTING, headers=headers).json["id"]
    deleted = client.post("/api/job-postings", json=POSTING, headers=headers).json["id"]
    assert client.delete(f"/api/job-postings/{deleted}", headers=headers).status_code == 204
    key = client.post("/api/api-keys", json={"name": "fast feedback"}, headers=headers).json["key"]
    stranger = sign_in(client)
    theirs = client.post("/api/resumes", json=resume_body(), headers=stranger).json["id"]
    return {
        "headers": headers,
        "key": {"Authorization": f"Bearer {key}"},
        "resume": resume,
        "posting": posting,
        "deleted_posting": deleted,
        "theirs": theirs,
    }


def stored(dsn: str, feedback_id: str) -> tuple:
    """The feedback's columns but its id and times, and its ReviewResume but its feedback id and time."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(f"SELECT {FEEDBACK_COLUMNS} FROM resume_feedbacks WHERE id = %s", (feedback_id,)).fetchone()
        commands = conn.execute(
            "SELECT exchange, routing_key, message_type, payload FROM outbox WHERE payload->>'feedback_id' = %s",
            (feedback_id,),
        ).fetchall()
    assert len(commands) == 1
    exchange, routing_key, message_type, payload = commands[0]
    payload = {key: value for key, value in payload.items() if key not in ("feedback_id", "requested_at")}
    return row, (exchange, routing_key, message_type, payload)


@pytest.mark.parametrize("credential", ["headers", "key"])
def test_the_fast_answer_is_the_views_byte_for_byte_but_the_new_feedback(app, owner, credential, database_url):
    headers, client = owner[credential], Client(app, app.response_class)
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    resume, posting = owner["resume"], owner["posting"]
    for path in (f"/api/resume_feedbacks/standard/{resume}", f"/api/resume_feedbacks/posting/{resume}/{posting}"):
        assert answered_fast(app, path, headers), path
        fast, slow = client.post(path, headers=headers), view_only(app).post(path, headers=headers)
        assert fast.status == slow.status == "202 ACCEPTED", (path, slow.json)
        assert fast.json["feedback_id"] != slow.json["feedback_id"]
        new = [(fast.json[name], slow.json[name]) for name in ("feedback_id", "created_at")]
        assert [(name, as_the_views(value, new)) for name, value in fast.headers.items()] == list(slow.headers.items())
        assert as_the_views(fast.data.decode(), new) == slow.data.decode(), path
        assert stored(dsn, fast.json["feedback_id"]) == stored(dsn, slow.json["feedback_id"]), path


def as_the_views(text: str, new: list[tuple[str, str]]) -> str:
    """`text` with the fast answer's new values (its feedback's id and time) replaced by the view's."""
    for fast, slow in new:
        text = text.replace(fast, slow)
    return text


def left_to_the_view(owner) -> list[tuple[str, str, dict, dict, int]]:
    """(case, path, headers, extra request options, the view's status)."""
    resume, posting, good = owner["resume"], owner["posting"], owner["headers"]
    standard = f"/api/resume_feedbacks/standard/{resume}"
    return [
        ("no credentials", standard, {}, {}, 401),
        ("a bad token", standard, {"Authorization": "Bearer nope"}, {}, 401),
        ("not bearer", standard, {"Authorization": "Basic eDp5"}, {}, 401),
        ("a missing résumé", f"/api/resume_feedbacks/standard/{uuid.uuid4()}", good, {}, 404),
        ("another user's résumé", f"/api/resume_feedbacks/standard/{owner['theirs']}", good, {}, 404),
        ("a missing posting", f"/api/resume_feedbacks/posting/{resume}/{uuid.uuid4()}", good, {}, 404),
        ("a deleted posting", f"/api/resume_feedbacks/posting/{resume}/{owner['deleted_posting']}", good, {}, 404),
        ("an id that is no UUID", "/api/resume_feedbacks/standard/" + "x" * 36, good, {}, 404),
        ("an id in capitals", f"/api/resume_feedbacks/standard/{resume.upper()}", good, {}, 202),
        ("a trailing slash", standard + "/", good, {}, 202),
        ("an Idempotency-Key", standard, {**good, "Idempotency-Key": uuid.uuid4().hex}, {}, 202),
        ("a JSON body", standard, good, {"data": b"{}", "content_type": "application/json"}, 202),
        ("a body that is not JSON", standard, good, {"data": b"x", "content_type": "text/plain"}, 415),
        ("a posting path without a posting", f"/api/resume_feedbacks/posting/{resume}", good, {}, 404),
        ("the standard path with a posting", f"/api/resume_feedbacks/standard/{resume}/{posting}", good, {}, 404),
    ]


def test_anything_else_is_left_to_the_view_and_answered_as_before(app, owner):
    for case, path, headers, extra, status in left_to_the_view(owner):
        assert not answered_fast(app, path, headers, **extra), case
        response = Client(app, app.response_class).post(path, headers=headers, **extra)
        assert response.status_code == status, (case, response.data)
        if status != 202:  # a new feedback has a new id
            slow = view_only(app).post(path, headers=headers, **extra)
            assert (response.status, response.data) == (slow.status, slow.data), case


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "OPTIONS"])
def test_other_methods_are_left_to_the_view(app, owner, method):
    assert not answered_fast(app, f"/api/resume_feedbacks/standard/{owner['resume']}", owner["headers"], method)


def test_a_database_that_cannot_be_reached_is_the_views_503(gateway_settings, owner):
    app = with_fast_paths(gateway_settings, database_url=DEAD_DATABASE)
    response = app.test_client().post(f"/api/resume_feedbacks/standard/{owner['resume']}", headers=owner["headers"])
    assert response.status_code == 503 and response.content_type == "application/problem+json"


@pytest.mark.parametrize("on", [True, False])
def test_the_middleware_is_there_only_with_fast_paths(gateway_settings, on):
    assert (FeedbackRequests in layer_kinds(built(gateway_settings, on))) is on


def test_the_answer_reads_as_json(app, owner):
    response = Client(app, app.response_class).post(
        f"/api/resume_feedbacks/standard/{owner['resume']}", headers=owner["headers"]
    )
    assert json.loads(response.data)["status"] == "queued"
