"""Résumés: written whole, read with every section, listed and searched, replaced by PUT, soft-deleted; the
owner's alone; bad input refused with problem+json and nothing stored."""

import uuid

import pytest
from resumes_kit import SECTION_TABLES, Rows, resume_body, without_ids


@pytest.fixture
def rows(database_url):
    return Rows(database_url.replace("+psycopg", ""))


def write(client, who, **fields) -> dict:
    response = client.post("/api/resumes", json=resume_body(**fields), headers=who.headers)
    assert response.status_code == 201, response.json
    return response.json


def test_a_resume_is_written_whole_and_read_back_with_every_section(client, alice, rows):
    body = resume_body(items=2)
    response = client.post("/api/resumes", json=body, headers=alice.headers)
    assert response.status_code == 201, response.json
    resume = response.json
    assert response.headers["Location"] == f"/api/resumes/{resume['id']}"
    assert without_ids(resume) == body
    assert resume["photo_url"] is None and resume["source_feedback_id"] is None
    assert resume["links"] == {"self": f"/api/resumes/{resume['id']}"}
    ids = [entry["id"] for section in SECTION_TABLES for entry in resume[section]]
    assert len(ids) == len(set(ids)) == 12 and all(uuid.UUID(i) for i in ids)
    assert resume["experiences"][0]["position"] == "Senior"  # the column job_position
    assert rows.one("SELECT job_position FROM resume_experiences WHERE id = %s", ids[0])[0] == "Senior"
    assert client.get(f"/api/resumes/{resume['id']}", headers=alice.headers).json == resume
    assert client.get(f"/api/resumes/{resume['id']}/", headers=alice.headers).json == resume  # trailing slash


def test_only_a_title_is_needed(client, alice):
    response = client.post("/api/resumes", json={"title": "Short"}, headers=alice.headers)
    assert response.status_code == 201, response.json
    resume = response.json
    assert resume["resume_type"] == "1" and resume["name"] is None and resume["birth_date"] is None
    assert all(resume[section] == [] for section in SECTION_TABLES)


def test_the_list_is_the_callers_newest_first_in_pages(client, accounts):
    carol = accounts.new()
    made = [write(client, carol, title=f"Resume {n}")["id"] for n in range(5)]
    first = client.get("/api/resumes?page=1&page_size=2", headers=carol.headers).json
    assert [r["id"] for r in first["items"]] == made[::-1][:2]
    assert (first["page"], first["page_size"], first["total"], first["pages"]) == (1, 2, 5, 3)
    last = client.get("/api/resumes?page=3&page_size=2", headers=carol.headers).json
    assert [r["id"] for r in last["items"]] == [made[0]]
    item = last["items"][0]
    assert set(item) == {"id", "title", "resume_type", "created_at", "updated_at", "links"}
    assert client.get("/api/resumes?page=4&page_size=2", headers=carol.headers).json["items"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("개발자", ["백엔드 개발자 이력서", "프론트엔드 개발자"]),
        ("백엔드", ["백엔드 개발자 이력서"]),
        ("backend", ["Senior BACKEND engineer", "Backend résumé"]),
        ("ENGINEER", ["Senior BACKEND engineer"]),
        ("résumé", ["Backend résumé"]),
        ("100%", ["100% remote"]),
        ("_", []),
        ("nothing like it", []),
    ],
)
def test_title_search_in_korean_and_english_any_case(client, accounts, query, expected):
    dana = accounts.new()
    titles = ["100% remote", "백엔드 개발자 이력서", "Backend résumé", "프론트엔드 개발자", "Senior BACKEND engineer"]
    for title in titles:
        write(client, dana, title=title)
    found = client.get("/api/resumes", query_string={"title": query}, headers=dana.headers).json
    assert sorted(r["title"] for r in found["items"]) == sorted(expected)
    assert found["total"] == len(expected)


def test_put_replaces_the_resume_and_every_section(client, alice, rows):
    resume = write(client, alice, items=3)
    before = rows.counts(alice.user["id"])
    replacement = resume_body(items=1, title="New title", gender=None, projects=[], technology_stacks=[])
    response = client.put(f"/api/resumes/{resume['id']}", json=replacement, headers=alice.headers)
    assert response.status_code == 200, response.json
    replaced = response.json
    assert without_ids(replaced) == replacement
    assert replaced["id"] == resume["id"] and replaced["created_at"] == resume["created_at"]
    assert replaced["updated_at"] > resume["updated_at"]
    assert replaced["experiences"][0]["id"] not in {e["id"] for e in resume["experiences"]}
    after = rows.counts(alice.user["id"])
    assert after["resume_experiences"] == before["resume_experiences"] - 2
    assert after["resume_projects"] == before["resume_projects"] - 3
    assert client.get(f"/api/resumes/{resume['id']}", headers=alice.headers).json == replaced


def test_a_put_that_breaks_a_rule_changes_nothing(client, alice):
    resume = write(client, alice, items=2)
    bad = resume_body(items=1, title="Changed")
    bad["educations"][0]["end_date"] = "2000-01-01"
    response = client.put(f"/api/resumes/{resume['id']}", json=bad, headers=alice.headers)
    assert response.status_code == 422
    assert client.get(f"/api/resumes/{resume['id']}", headers=alice.headers).json == resume


def test_items_sent_back_with_their_ids_are_taken_and_get_new_ones(client, alice):
    resume = write(client, alice)
    body = {k: v for k, v in without_ids(resume).items()}
    body["experiences"] = resume["experiences"]
    replaced = client.put(f"/api/resumes/{resume['id']}", json=body, headers=alice.headers)
    assert replaced.status_code == 200, replaced.json
    assert replaced.json["experiences"][0]["id"] != resume["experiences"][0]["id"]


@pytest.mark.parametrize("method", ["DELETE", "PATCH"])
def test_a_deleted_resume_leaves_every_read_but_its_row_stays(client, alice, rows, method):
    resume = write(client, alice, title=f"Doomed {uuid.uuid4().hex[:6]}")
    path = f"/api/resumes/{resume['id']}"
    response = client.open(path, method=method, headers=alice.headers)
    assert response.status_code == 204
    assert client.get(path, headers=alice.headers).status_code == 404
    assert client.put(path, json=resume_body(), headers=alice.headers).status_code == 404
    listed = client.get("/api/resumes", query_string={"title": resume["title"]}, headers=alice.headers).json
    assert listed["total"] == 0 and listed["items"] == []
    assert client.open(path, method=method, headers=alice.headers).status_code == 404  # once
    assert rows.one("SELECT deleted_at IS NOT NULL FROM resumes WHERE id = %s", resume["id"])[0]
    assert rows.one("SELECT count(*) FROM resume_experiences WHERE resume_id = %s", resume["id"])[0] == 1


def test_another_users_resume_is_404_everywhere_and_untouched(client, alice, bob):
    resume = write(client, alice)
    path = f"/api/resumes/{resume['id']}"
    for method, body in [("GET", None), ("PUT", resume_body(title="Mine now")), ("DELETE", None), ("PATCH", None)]:
        response = client.open(path, method=method, json=body, headers=bob.headers)
        assert response.status_code == 404, (method, response.status_code)
        assert response.content_type == "application/problem+json"
        assert "among yours" in response.json["detail"]
    assert client.get("/api/resumes", headers=bob.headers).json["total"] == 0
    assert client.get(path, headers=alice.headers).json == resume


@pytest.mark.parametrize("resume_id", [str(uuid.uuid4()), "not-a-uuid", "12345"])
def test_unknown_and_malformed_ids_are_404(client, alice, resume_id):
    for method in ("GET", "DELETE", "PATCH"):
        response = client.open(f"/api/resumes/{resume_id}", method=method, headers=alice.headers)
        assert response.status_code == 404 and response.content_type == "application/problem+json"
    response = client.put(f"/api/resumes/{resume_id}", json=resume_body(), headers=alice.headers)
    assert response.status_code == 404


def _with_item(section: str, **change) -> dict:
    body = resume_body()
    body[section][0].update(change)
    return body


BAD_BODIES = {
    "title too long": (resume_body(title="가" * 101), "/title"),
    "blank title": (resume_body(title="   "), "/title"),
    "no title": ({k: v for k, v in resume_body().items() if k != "title"}, "/title"),
    "title not a string": (resume_body(title=123), "/title"),
    "title with a line break": (resume_body(title="a\nb"), "/title"),
    "unknown resume_type": (resume_body(resume_type="9"), "/resume_type"),
    "unknown gender": (resume_body(gender="3"), "/gender"),
    "unknown military_service": (resume_body(military_service="7"), "/military_service"),
    "not an e-mail": (resume_body(email="sky at example"), "/email"),
    "not a date": (resume_body(birth_date="1995-13-01"), "/birth_date"),
    "name too long": (resume_body(name="x" * 51), "/name"),
    "self introduction too long": (resume_body(self_introduction="x" * 5001), "/self_introduction"),
    "an unknown field": (resume_body(salary=100), "/salary"),
    "experience ends before it starts": (
        _with_item("experiences", start_date="2020-05-01", end_date="2020-04-30"),
        "/experiences/0/end_date",
    ),
    "education ends before it starts": (
        _with_item("educations", start_date="2020-05-01", end_date="2019-01-01"),
        "/educations/0/end_date",
    ),
    "project ends before it starts": (_with_item("projects", end_date="1999-01-01"), "/projects/0/end_date"),
    "activity ends before it starts": (_with_item("activities", end_date="1999-01-01"), "/activities/0/end_date"),
    "unknown degree_level": (_with_item("educations", degree_level="6"), "/educations/0/degree_level"),
    "job description too long": (
        _with_item("experiences", job_description="x" * 1001),
        "/experiences/0/job_description",
    ),
    "project description too long": (_with_item("projects", description="x" * 501), "/projects/0/description"),
    "activity description too long": (_with_item("activities", description="가" * 501), "/activities/0/description"),
    "employment_status not a boolean": (
        _with_item("experiences", employment_status="yes"),
        "/experiences/0/employment_status",
    ),
    "experience without a start": (_with_item("experiences", start_date=None), "/experiences/0/start_date"),
    "qualification without a date": (
        _with_item("qualifications", acquisition_date=None),
        "/qualifications/0/acquisition_date",
    ),
    "technology without a name": (_with_item("technology_stacks", name=""), "/technology_stacks/0/name"),
    "a section that is not a list": (resume_body(projects={"title": "x"}), "/projects"),
    "too many items": (resume_body(technology_stacks=[{"name": f"t{n}"} for n in range(51)]), "/technology_stacks"),
}


@pytest.mark.parametrize(("body", "pointer"), BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bad_input_is_a_422_that_names_the_field_and_stores_nothing(client, alice, rows, body, pointer):
    before = rows.counts(alice.user["id"])
    response = client.post("/api/resumes", json=body, headers=alice.headers)
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json"
    assert pointer in [error["pointer"] for error in response.json["errors"]]
    assert rows.counts(alice.user["id"]) == before


def test_a_body_that_is_not_json_is_refused(client, alice, rows):
    before = rows.counts(alice.user["id"])
    response = client.post("/api/resumes", data="title=x", headers=alice.headers, content_type="text/plain")
    assert response.status_code == 415 and response.content_type == "application/problem+json"
    broken = client.post("/api/resumes", data="{", headers=alice.headers, content_type="application/json")
    assert broken.status_code == 400 and broken.content_type == "application/problem+json"
    assert rows.counts(alice.user["id"]) == before


@pytest.mark.parametrize("query", ["page=0", "page_size=0", "page_size=101", "page=x", "title="])
def test_bad_list_arguments_are_422(client, alice, query):
    response = client.get(f"/api/resumes?{query}", headers=alice.headers)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
