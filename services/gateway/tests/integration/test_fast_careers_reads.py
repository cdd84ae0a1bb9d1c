"""The fast path of the careers reads: the view's answer byte for byte, and every other request left to the view."""

import uuid
from urllib.parse import quote

import pytest
from fast_paths_kit import DEAD_DATABASE, built, layer_kinds, middleware, sign_in, with_fast_paths
from fast_paths_kit import view_only as kit_view_only
from resumes_kit import resume_body
from werkzeug.test import Client, EnvironBuilder

from gateway.fastpaths.careers_reads import CareersReads

POSTING = {"title": "Backend engineer", "company": "Example Corp", "qualification": "Python", "prefer": "Go"}


@pytest.fixture(scope="module")
def app(gateway_settings):
    return with_fast_paths(gateway_settings)


def fast_path(app) -> CareersReads:
    return middleware(app, CareersReads)


def view_only(app) -> Client:
    return kit_view_only(app, CareersReads)


def answered_fast(app, path: str, headers: dict, method: str = "GET", **extra) -> bool:
    target, _, query = path.partition("?")
    env = EnvironBuilder(path=target, query_string=query, method=method, headers=headers, **extra).get_environ()
    return fast_path(app)._read(env) is not None


@pytest.fixture(scope="module")
def owner(app):
    """A user with three résumés (one with 10 items a section, titles to search) and three postings."""
    client = Client(app, app.response_class)
    headers = sign_in(client)
    resumes = [
        client.post("/api/resumes", json=resume_body(items=n, title=title), headers=headers).json
        for n, title in ((1, "백엔드 개발자 이력서"), (10, "Backend Engineer, 50% remote"), (0, "Data_engineer"))
    ]
    for title in ("백엔드 개발자", "Backend engineer", "Designer"):
        assert client.post("/api/job-postings", json={**POSTING, "title": title}, headers=headers).status_code == 201
    key = client.post("/api/api-keys", json={"name": "fast reads"}, headers=headers).json["key"]
    return {"headers": headers, "key": {"Authorization": f"Bearer {key}"}, "resumes": resumes}


def fast_reads(owner) -> list[str]:
    first, full = owner["resumes"][0]["id"], owner["resumes"][1]["id"]
    return [
        f"/api/resumes/{first}",
        f"/api/resumes/{full}",
        "/api/resumes",
        "/api/resumes?page=2&page_size=2",
        "/api/resumes?page=7",
        "/api/resumes?title=" + quote("백엔드"),
        "/api/resumes?title=ENGINEER&page_size=1",
        "/api/resumes?title=" + quote("50%"),
        "/api/resumes?title=_",
        "/api/resumes?title=a+b",
        "/api/job-postings",
        "/api/job-postings?page_size=100",
        "/api/job-postings?title=" + quote("개발자"),
        "/api/job-postings?title=engineer&page=1&page_size=20",
    ]


@pytest.mark.parametrize("credential", ["headers", "key"])
def test_the_fast_answer_is_the_views_byte_for_byte(app, owner, credential):
    headers, client = owner[credential], Client(app, app.response_class)
    for path in fast_reads(owner):
        assert answered_fast(app, path, headers), path
        fast, slow = client.get(path, headers=headers), view_only(app).get(path, headers=headers)
        assert fast.status == slow.status == "200 OK", (path, slow.json)
        assert list(fast.headers.items()) == list(slow.headers.items()), path
        assert fast.data == slow.data, path


def test_the_fast_answers_are_the_callers_own(app, owner, accounts):
    stranger, client = accounts.new(), Client(app, app.response_class)
    assert client.get("/api/resumes", headers=stranger.headers).json["total"] == 0
    assert client.get("/api/job-postings", headers=stranger.headers).json["total"] == 0
    mine = client.get("/api/resumes", headers=owner["headers"]).json
    assert mine["total"] == 3 and mine["items"][0]["title"] == "Data_engineer"


def left_to_the_view(owner) -> list[tuple[str, str, dict, dict, int]]:
    """(case, path, headers, extra request options, the view's status)."""
    full, good = owner["resumes"][1]["id"], owner["headers"]
    return [
        ("no credentials", "/api/resumes", {}, {}, 401),
        ("a bad token", "/api/resumes", {"Authorization": "Bearer nope"}, {}, 401),
        ("not bearer", f"/api/resumes/{full}", {"Authorization": "Basic eDp5"}, {}, 401),
        ("a missing résumé", f"/api/resumes/{uuid.uuid4()}", good, {}, 404),
        ("an id that is no UUID", "/api/resumes/" + "x" * 36, good, {}, 404),
        ("a trailing slash", f"/api/resumes/{full}/", good, {}, 200),
        ("a list's trailing slash", "/api/resumes/", good, {}, 200),
        ("a query on the résumé", f"/api/resumes/{full}?page=1", good, {}, 200),
        ("an unknown parameter", "/api/resumes?sort=new", good, {}, 200),
        ("a repeated parameter", "/api/resumes?page=1&page=2", good, {}, 200),
        ("a page of zero", "/api/resumes?page=0", good, {}, 422),
        ("a leading zero", "/api/resumes?page=01", good, {}, 200),
        ("a signed page", "/api/resumes?page=%2B1", good, {}, 200),
        ("a page too far", "/api/resumes?page=100001", good, {}, 422),
        ("a page size over the limit", "/api/job-postings?page_size=101", good, {}, 422),
        ("an empty title", "/api/resumes?title=", good, {}, 422),
        ("a title too long", "/api/resumes?title=" + "a" * 101, good, {}, 422),
        ("a control character in the title", "/api/job-postings?title=a%1Bb", good, {}, 422),
        ("a NUL in the title", "/api/resumes?title=a%00b", good, {}, 400),
        ("a title that is no UTF-8", "/api/resumes?title=%FF", good, {}, 200),
        ("a body", "/api/resumes", good, {"data": b"{}", "content_type": "application/json"}, 200),
    ]


def test_anything_else_is_left_to_the_view_and_answered_as_before(app, owner, client):
    for case, path, headers, extra, status in left_to_the_view(owner):
        assert not answered_fast(app, path, headers, **extra), case
        response = Client(app, app.response_class).get(path, headers=headers, **extra)
        assert response.status_code == status, (case, response.json)
        slow = view_only(app).get(path, headers=headers, **extra)
        assert (response.status, response.data) == (slow.status, slow.data), case


@pytest.mark.parametrize("method", ["HEAD", "POST", "PUT", "DELETE", "OPTIONS"])
def test_other_methods_are_left_to_the_view(app, owner, method):
    assert not answered_fast(app, "/api/resumes", owner["headers"], method=method)


def test_a_database_that_cannot_be_reached_is_the_views_503(gateway_settings, owner):
    app = with_fast_paths(gateway_settings, database_url=DEAD_DATABASE)
    response = app.test_client().get("/api/resumes", headers=owner["headers"])
    assert response.status_code == 503 and response.content_type == "application/problem+json"


@pytest.mark.parametrize("on", [True, False])
def test_the_middleware_is_there_only_with_fast_paths(gateway_settings, on):
    assert (CareersReads in layer_kinds(built(gateway_settings, on))) is on
