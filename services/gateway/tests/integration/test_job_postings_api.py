"""Job postings: recorded, read, listed (six a page, newest first, title search), replaced, soft-deleted; the
owner's alone; the code table. Bad input refused with problem+json and nothing stored."""

import uuid

import pytest
from resumes_kit import Rows

from gateway.careers import documents

POSTING = {
    "url": "https://careers.example.com/jobs/1234",
    "title": "백엔드 개발자",
    "company": "Example Corp",
    "qualification": "Python, PostgreSQL, 3+ years of backend work",
    "prefer": "Kubernetes, RabbitMQ",
    "end_date": "2027-01-31",
}


@pytest.fixture
def rows(database_url):
    return Rows(database_url.replace("+psycopg", ""))


def record(client, who, **fields) -> dict:
    response = client.post("/api/job-postings", json={**POSTING, **fields}, headers=who.headers)
    assert response.status_code == 201, response.json
    return response.json


def test_a_posting_is_recorded_and_read_back(client, alice):
    response = client.post("/api/job-postings", json=POSTING, headers=alice.headers)
    assert response.status_code == 201, response.json
    posting = response.json
    assert response.headers["Location"] == f"/api/job-postings/{posting['id']}"
    assert {k: posting[k] for k in POSTING} == POSTING
    assert posting["links"] == {"self": f"/api/job-postings/{posting['id']}"}
    assert client.get(f"/api/job-postings/{posting['id']}/", headers=alice.headers).json == posting


def test_url_and_end_date_are_optional(client, alice):
    posting = record(client, alice, url=None, end_date=None)
    assert posting["url"] is None and posting["end_date"] is None
    body = {k: v for k, v in POSTING.items() if k not in ("url", "end_date")}
    assert client.post("/api/job-postings", json=body, headers=alice.headers).status_code == 201


def test_the_list_is_six_a_page_newest_first(client, accounts):
    erin = accounts.new()
    made = [record(client, erin, title=f"Posting {n}")["id"] for n in range(8)]
    first = client.get("/api/job-postings", headers=erin.headers).json
    assert [p["id"] for p in first["items"]] == made[::-1][:6]
    assert (first["page"], first["page_size"], first["total"], first["pages"]) == (1, 6, 8, 2)
    second = client.get("/api/job-postings?page=2", headers=erin.headers).json
    assert [p["id"] for p in second["items"]] == made[1::-1]
    assert len(client.get("/api/job-postings?page_size=20", headers=erin.headers).json["items"]) == 8


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("개발자", ["백엔드 개발자", "프론트엔드 개발자"]),
        ("platform", ["Platform Engineer"]),
        ("ENG", ["Platform Engineer"]),
    ],
)
def test_title_search_in_korean_and_english(client, accounts, query, expected):
    fay = accounts.new()
    for title in ("백엔드 개발자", "프론트엔드 개발자", "Platform Engineer", "Data analyst"):
        record(client, fay, title=title)
    found = client.get("/api/job-postings", query_string={"title": query}, headers=fay.headers).json
    assert sorted(p["title"] for p in found["items"]) == sorted(expected) and found["total"] == len(expected)


def test_put_replaces_every_field(client, alice):
    posting = record(client, alice)
    change = {**POSTING, "title": "Senior backend", "url": None, "end_date": "2027-03-01", "prefer": ""}
    response = client.put(f"/api/job-postings/{posting['id']}", json=change, headers=alice.headers)
    assert response.status_code == 200, response.json
    assert {k: response.json[k] for k in POSTING} == change
    assert response.json["created_at"] == posting["created_at"] and response.json["updated_at"] > posting["updated_at"]
    partial = client.put(f"/api/job-postings/{posting['id']}", json={"title": "Only"}, headers=alice.headers)
    assert partial.status_code == 422  # a PUT is the whole posting


@pytest.mark.parametrize("method", ["DELETE", "PATCH"])
def test_a_deleted_posting_leaves_every_read(client, alice, rows, app, method):
    posting = record(client, alice, title=f"Gone {uuid.uuid4().hex[:6]}")
    path = f"/api/job-postings/{posting['id']}"
    assert client.open(path, method=method, headers=alice.headers).status_code == 204
    assert client.get(path, headers=alice.headers).status_code == 404
    assert client.put(path, json=POSTING, headers=alice.headers).status_code == 404
    found = client.get("/api/job-postings", query_string={"title": posting["title"]}, headers=alice.headers).json
    assert found["total"] == 0
    assert client.open(path, method=method, headers=alice.headers).status_code == 404
    assert rows.one("SELECT deleted_at IS NOT NULL FROM job_postings WHERE id = %s", posting["id"])[0]
    uow = app.extensions["gateway"].db.uow()
    with uow:
        assert documents.posting_document(uow, uuid.UUID(alice.user["id"]), posting["id"]) is None


def test_a_posting_document_is_what_the_contracts_carry(client, alice, bob, app):
    posting = record(client, alice)
    uow = app.extensions["gateway"].db.uow()
    with uow:
        assert documents.posting_document(uow, uuid.UUID(alice.user["id"]), posting["id"]) == {
            "title": POSTING["title"],
            "company": POSTING["company"],
            "qualification": POSTING["qualification"],
            "prefer": POSTING["prefer"],
            "end_date": POSTING["end_date"],
            "url": POSTING["url"],
        }
        assert documents.posting_document(uow, uuid.UUID(bob.user["id"]), posting["id"]) is None


def test_another_users_posting_is_404_everywhere(client, alice, bob):
    posting = record(client, alice)
    path = f"/api/job-postings/{posting['id']}"
    for method, body in [("GET", None), ("PUT", POSTING), ("DELETE", None), ("PATCH", None)]:
        response = client.open(path, method=method, json=body, headers=bob.headers)
        assert response.status_code == 404 and response.content_type == "application/problem+json", method
    assert client.get("/api/job-postings", headers=bob.headers).json["total"] == 0
    assert client.get(path, headers=alice.headers).json == posting


@pytest.mark.parametrize("posting_id", [str(uuid.uuid4()), "nope"])
def test_unknown_ids_are_404(client, alice, posting_id):
    for method in ("GET", "DELETE", "PATCH"):
        assert client.open(f"/api/job-postings/{posting_id}", method=method, headers=alice.headers).status_code == 404
    assert client.put(f"/api/job-postings/{posting_id}", json=POSTING, headers=alice.headers).status_code == 404


BAD = {
    "title too long": ({"title": "가" * 31}, "/title"),
    "company too long": ({"company": "x" * 31}, "/company"),
    "qualification too long": ({"qualification": "x" * 301}, "/qualification"),
    "prefer too long": ({"prefer": "우" * 301}, "/prefer"),
    "blank title": ({"title": "  "}, "/title"),
    "no company": ({"company": None}, "/company"),
    "not a url": ({"url": "javascript:alert(1)"}, "/url"),
    "url too long": ({"url": "https://example.com/" + "a" * 1000}, "/url"),
    "not a date": ({"end_date": "tomorrow"}, "/end_date"),
    "title not a string": ({"title": ["a"]}, "/title"),
    "unknown field": ({"salary": 1}, "/salary"),
}


@pytest.mark.parametrize(("change", "pointer"), BAD.values(), ids=BAD.keys())
def test_bad_input_is_a_422_that_stores_nothing(client, alice, rows, change, pointer):
    before = rows.counts(alice.user["id"])
    response = client.post("/api/job-postings", json={**POSTING, **change}, headers=alice.headers)
    assert response.status_code == 422, response.json
    assert pointer in [error["pointer"] for error in response.json["errors"]]
    assert rows.counts(alice.user["id"]) == before


def test_a_body_that_is_not_json_is_415(client, alice):
    response = client.post("/api/job-postings", data="x", headers=alice.headers, content_type="text/plain")
    assert response.status_code == 415 and response.content_type == "application/problem+json"


def test_the_code_table_by_division_with_both_labels(client, alice):
    genders = client.get("/api/codes?division=gender", headers=alice.headers)
    assert genders.status_code == 200
    assert genders.json["items"] == [
        {"division": "gender", "code": "1", "label_ko": "남성", "label_en": "Male"},
        {"division": "gender", "code": "2", "label_ko": "여성", "label_en": "Female"},
    ]
    divisions = client.get("/api/codes/", headers=alice.headers).json["items"]
    assert {row["division"] for row in divisions} == {
        "feedback_division",
        "resume_type",
        "gender",
        "military_service",
        "degree",
        "study_priority",
        "interview_feedback",
    }
    feedback = client.get("/api/codes?division=feedback_division", headers=alice.headers).json["items"]
    assert [row["code"] for row in feedback] == ["1", "2", "3", "4"]


@pytest.mark.parametrize("division", ["user_type", "GENDER", "", "x" * 500])
def test_an_unknown_division_is_422(client, alice, division):
    response = client.get("/api/codes", query_string={"division": division}, headers=alice.headers)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert response.json["errors"][0]["pointer"] == "/division"
