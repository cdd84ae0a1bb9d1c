"""GET /api/tests and /api/courses on a small known catalog: filters, sorts, both paginations, `applied`."""

import base64
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[4]  # the repository, where `python -m bench.x` runs
NOW = datetime.now(UTC).replace(microsecond=0)
DAY = timedelta(days=1)

# id, title, price, start (days from now), window (days), registrations, created (days from now)
EXAMS = [
    (1, "TOEIC Practice Test 1", 10_000, -10, 20, 5, -30),
    (2, "토익 실전 모의고사 2회", 10_000, -5, 4, 5, -30),
    (3, "Python Basics Test", 0, 5, 15, 0, -20),
    (4, "파이썬 기초 시험", 50_000, -1, 2, 12, -10),
    (5, "Advanced SQL Exam 100%_off", 300_000, -100, 50, 1, -200),
    (6, "정보처리기사 필기 모의고사", 25_000, -10, 40, 0, -5),
    (7, "Data Analysis Final Exam", 25_000, 30, 30, 2, -1),
    (8, "toeic speaking mock test", 120_000, -3, 1, 12, -1),
]
COURSES = [
    (1, "Python for Data Analysis", 90_000, -20, 60, 3, -40),
    (2, "파이썬 입문 강좌", 0, -2, 30, 0, -3),
    (3, "Kubernetes Bootcamp", 250_000, 10, 60, 1, -2),
]
AVAILABLE_EXAMS = {1, 4, 6}  # start <= now < end


def exam(item_id: int) -> dict:
    _, title, price, start, window, count, created = EXAMS[item_id - 1]
    return {
        "id": item_id,
        "title": title,
        "price": price,
        "start_at": NOW + start * DAY,
        "end_at": NOW + (start + window) * DAY,
        "registration_count": count,
        "created_at": NOW + created * DAY,
    }


SORT_KEYS = {"created": "created_at", "popular": "registration_count", "price": "price", "start_at": "start_at"}


def expected(sort: str, order: str, ids=None) -> list[int]:
    """The order the API promises: the sort key, then id, both in the requested direction."""
    rows = [exam(i) for i in (range(1, len(EXAMS) + 1) if ids is None else ids)]
    rows.sort(key=lambda r: (r[SORT_KEYS[sort]], r["id"]), reverse=order == "desc")
    return [r["id"] for r in rows]


def _insert(conn, table: str, items: list[tuple]) -> None:
    for item_id, title, price, start, window, count, created in items:
        conn.execute(
            f"INSERT INTO {table} (id, title, description, price, start_at, end_at, registration_count, "
            "created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (item_id, title, f"About {title}.", price, NOW + start * DAY, NOW + (start + window) * DAY, count,
             NOW + created * DAY, NOW + created * DAY),
        )  # fmt: skip


@pytest.fixture
def catalog(database_url):
    """The known catalog above, and nothing else, in the run's database."""
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        conn.execute("TRUNCATE tests, courses, test_registrations, course_registrations RESTART IDENTITY")
        _insert(conn, "tests", EXAMS)
        _insert(conn, "courses", COURSES)
    return dsn


def register(dsn: str, user_id: str, registrations: dict[int, str], table="test_registrations", column="test_id"):
    at = "enrolled_at" if column == "course_id" else "applied_at"
    with psycopg.connect(dsn) as conn:
        for item_id, status in registrations.items():
            conn.execute(
                f"INSERT INTO {table} (user_id, {column}, status, {at}) VALUES (%s, %s, %s, now())",
                (user_id, item_id, status),
            )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["items"]]


def walk(client, query: str, page_size: int = 3, headers=None) -> list[int]:
    """Follow next_cursor from the first page to the end."""
    seen, url = [], f"/api/tests?{query}&page_size={page_size}"
    for _ in range(50):
        body = client.get(url, headers=headers).json
        seen += [item["id"] for item in body["items"]]
        if body["next_cursor"] is None:
            return seen
        assert len(body["items"]) == page_size
        url = f"/api/tests?{query}&page_size={page_size}&cursor={body['next_cursor']}"
    raise AssertionError("the cursor never ended")


def test_first_page_is_newest_first_with_every_field(client, catalog):
    response = client.get("/api/tests")
    assert ids(response) == expected("created", "desc") == [8, 7, 6, 4, 3, 2, 1, 5]
    body = response.json
    assert (body["page"], body["page_size"], body["sort"], body["order"]) == (1, 20, "created", "desc")
    assert (body["total"], body["total_is_exact"], body["pages"], body["next_cursor"]) == (8, True, 1, None)
    first = body["items"][0]
    assert first == {
        "id": 8,
        "title": "toeic speaking mock test",
        "description": "About toeic speaking mock test.",
        "price": 120_000,
        "start_at": (NOW - 3 * DAY).isoformat(),
        "end_at": (NOW - 2 * DAY).isoformat(),
        "available": False,
        "registration_count": 12,
        "applied": False,
        "created_at": (NOW - DAY).isoformat(),
        "updated_at": (NOW - DAY).isoformat(),
    }
    assert {item["id"] for item in body["items"] if item["available"]} == AVAILABLE_EXAMS


SORTS = [(s, o) for s in ("created", "popular", "price", "start_at") for o in ("asc", "desc")]


@pytest.mark.parametrize(("sort", "order"), SORTS)
def test_every_sort_and_order_breaks_ties_by_id(client, catalog, sort, order):
    assert ids(client.get(f"/api/tests?sort={sort}&order={order}")) == expected(sort, order)


@pytest.mark.parametrize(("sort", "default"), [("created", "desc"), ("popular", "desc"), ("price", "asc"),
                                               ("start_at", "asc")])  # fmt: skip
def test_default_order_per_sort(client, catalog, sort, default):
    response = client.get(f"/api/tests?sort={sort}")
    assert response.json["order"] == default
    assert ids(response) == expected(sort, default)


@pytest.mark.parametrize(("sort", "order"), SORTS)
def test_the_cursor_walks_the_whole_set_once_in_order(client, catalog, sort, order):
    assert walk(client, f"sort={sort}&order={order}") == expected(sort, order)


def test_the_cursor_walks_a_filtered_set_and_one_item_pages(client, catalog):
    assert walk(client, "status=available&sort=price", page_size=1) == expected("price", "asc", AVAILABLE_EXAMS)


def test_a_cursor_carries_its_sort_and_order(client, catalog):
    cursor = client.get("/api/tests?sort=price&order=desc&page_size=2").json["next_cursor"]
    body = client.get(f"/api/tests?cursor={cursor}&page_size=2").json
    assert (body["sort"], body["order"], body["page"], body["total"]) == ("price", "desc", None, None)
    assert [item["id"] for item in body["items"]] == expected("price", "desc")[2:4]


def test_page_numbers(client, catalog):
    order = expected("created", "desc")
    second = client.get("/api/tests?page=2&page_size=3")
    assert ids(second) == order[3:6]  # a table this small is counted
    assert (second.json["total"], second.json["total_is_exact"], second.json["pages"]) == (8, True, 3)
    assert second.json["next_cursor"] is not None
    last = client.get("/api/tests?page=3&page_size=3")
    assert ids(last) == order[6:] and last.json["next_cursor"] is None
    beyond = client.get("/api/tests?page=9&page_size=3")
    assert ids(beyond) == [] and (beyond.json["total"], beyond.json["total_is_exact"]) == (8, True)
    filtered_beyond = client.get("/api/tests?page=5&page_size=3&status=available")
    assert ids(filtered_beyond) == [] and filtered_beyond.json["total"] is None


def test_page_number_answer_continues_by_cursor(client, catalog):
    first = client.get("/api/tests?sort=popular&page_size=3").json
    rest = client.get(f"/api/tests?cursor={first['next_cursor']}&page_size=5")
    assert [i["id"] for i in first["items"]] + ids(rest) == expected("popular", "desc")


def test_totals_beyond_the_count_limit_are_estimates_and_filtered_ones_unknown(client, catalog, monkeypatch):
    from gateway.catalog import service

    monkeypatch.setattr(service, "COUNT_LIMIT", 2)
    body = client.get("/api/tests?page_size=2").json
    assert body["total_is_exact"] is False and body["total"] >= 3 and body["pages"] is None
    filtered = client.get("/api/tests?page_size=2&min_price=0").json
    assert (filtered["total"], filtered["total_is_exact"], filtered["pages"]) == (None, False, None)
    for query in ("", "&min_price=0"):
        last = client.get(f"/api/tests?page_size=2&page=4{query}").json  # the last page: the count is known
        assert (last["total"], last["total_is_exact"], last["pages"]) == (8, True, 4)


FILTERS = [
    ("status=available", AVAILABLE_EXAMS),
    ("min_price=25000", {4, 5, 6, 7, 8}),
    ("max_price=10000", {1, 2, 3}),
    ("min_price=10000&max_price=25000", {1, 2, 6, 7}),
    ("min_price=0&max_price=0", {3}),
    (f"starts_after={quote((NOW - 5 * DAY).isoformat())}", {2, 3, 4, 7, 8}),
    (f"starts_before={quote((NOW - 5 * DAY).isoformat())}", {1, 5, 6}),
    (f"starts_after={(NOW - 11 * DAY).date()}&starts_before={quote((NOW - 2 * DAY).isoformat())}", {1, 2, 6, 8}),
    ("q=toeic", {1, 8}),
    ("q=TOEIC%20practice", {1}),
    ("q=%ED%8C%8C%EC%9D%B4%EC%8D%AC", {4}),  # 파이썬
    ("q=%20%20mock%20", {8}),  # surrounding spaces are ignored
    ("q=100%25_", {5}),  # % and _ match themselves
    ("q=off", {5}),
    ("q=%25", None),  # under three characters
    ("q=%EB%AA%A8%EC%9D%98", {2, 6}),  # 모의: two letters, served by the bigram index
    ("q=%EA%B8%B0%EC%82%AC", {6}),  # 기사, inside 정보처리기사
    ("q=SQL", {5}),
    ("q=Te", {1, 3, 8}),  # two letters, any case
    ("q=a-b-c-d", None),  # no three letters in a row
    ("q=%25%25%25", None),
    ("q=exam", {5, 7}),
    ("q=nothing%20like%20it", set()),
    ("status=available&min_price=20000&q=%EB%AA%A8%EC%9D%98%EA%B3%A0", {6}),  # 모의고
]


@pytest.mark.parametrize(("query", "matching"), FILTERS)
def test_filters(client, catalog, query, matching):
    response = client.get(f"/api/tests?{query}")
    if matching is None:
        assert response.status_code == 422
        return
    assert set(ids(response)) == matching
    assert ids(response) == expected("created", "desc", matching)
    assert (response.json["total"], response.json["total_is_exact"]) == (len(matching), True)


@pytest.mark.parametrize("walk_rows", [1, 2, 5_000])
def test_title_search_gives_the_same_answers_whichever_way_it_finds_them(client, catalog, monkeypatch, walk_rows):
    """A search first looks through WALK_ROWS rows in order, then falls back to the index: same results."""
    from gateway.catalog import service

    monkeypatch.setattr(service, "WALK_ROWS", walk_rows)
    for sort, order in SORTS:
        query = f"sort={sort}&order={order}&q=toeic"
        assert ids(client.get(f"/api/tests?{query}")) == expected(sort, order, {1, 8})
        assert walk(client, query, page_size=1) == expected(sort, order, {1, 8})
    assert walk(client, "q=%EB%AA%A8%EC%9D%98%EA%B3%A0", page_size=1) == expected(
        "created", "desc", {2, 6}
    )  # 모의고: LIKE
    assert walk(client, "q=est", page_size=2) == expected("created", "desc", {1, 3, 8})  # a page found in the walk
    assert ids(client.get("/api/tests?q=test&page=2&page_size=1")) == expected("created", "desc", {1, 3, 8})[1:2]
    assert ids(client.get("/api/tests?q=exam&min_price=100000")) == [5]
    for sort, order in SORTS:  # two letters: the walk checks them by LIKE or ~*, the fallback finds them by bigrams
        for query, matching in (("q=%EB%AA%A8%EC%9D%98", {2, 6}), ("q=te", {1, 3, 8})):  # 모의
            assert walk(client, f"{query}&sort={sort}&order={order}", page_size=1) == expected(sort, order, matching)


def test_courses_share_the_implementation(client, catalog):
    assert ids(client.get("/api/courses")) == [3, 2, 1]
    assert ids(client.get("/api/courses?sort=price")) == [2, 1, 3]
    assert ids(client.get("/api/courses?status=available&q=python")) == [1]
    assert client.get("/api/courses/3").json["title"] == "Kubernetes Bootcamp"


def test_applied_shows_the_callers_live_registrations_only(client, catalog, alice, bob):
    register(catalog, alice.user["id"], {1: "applied", 2: "cancelled", 4: "completed", 7: "applied"})
    register(catalog, bob.user["id"], {3: "applied"})
    register(catalog, alice.user["id"], {2: "enrolled"}, "course_registrations", "course_id")

    def applied(path, who=None):
        body = client.get(path, headers=who.headers if who else None).json
        return {item["id"] for item in body["items"] if item["applied"]}

    assert applied("/api/tests", alice) == {1, 4, 7}
    assert applied("/api/tests?page_size=2&page=2", alice) == {4}  # the page holds 6 and 4
    assert applied("/api/tests", bob) == {3}
    assert applied("/api/tests") == set()
    assert applied("/api/courses", alice) == {2}
    assert set(walk(client, "sort=price", headers=alice.headers)) == set(range(1, 9))
    one = {i: client.get(f"/api/tests/{i}", headers=alice.headers).json["applied"] for i in (1, 2, 3)}
    assert one == {1: True, 2: False, 3: False}
    assert client.get("/api/tests/1").json["applied"] is False


def test_the_fast_json_is_what_the_documented_schemas_dump(client, catalog, alice):
    """The views build JSON by hand for speed; the OpenAPI schemas must still describe it exactly."""
    from gateway.catalog import service
    from gateway.catalog.schemas import CatalogItemSchema, CatalogPageSchema, item_json, page_json

    register(catalog, alice.user["id"], {4: "applied"})
    tests = service.CATALOGS["tests"]
    by_cursor = service.Listing(sort="price", order="asc", page_size=2, page=None,
                                cursor=service.Cursor("price", "asc", 10_000, 1))  # fmt: skip
    with client.application.app_context():
        uow = client.application.extensions["gateway"].db.uow
        for listing in (service.Listing(page_size=3), by_cursor):
            page = service.list_items(uow(), tests, listing, alice.user["id"])
            documented = {**page.__dict__, **listing.__dict__, "pages": 3 if page.total_is_exact else None}
            assert page_json(page, listing) == CatalogPageSchema().dump(documented)
        entry = service.get_item(uow(), tests, "4", alice.user["id"])
        assert entry.applied and item_json(entry) == CatalogItemSchema().dump(entry)


def test_one_item_and_trailing_slashes(client, catalog):
    response = client.get("/api/tests/6/")
    assert response.status_code == 200
    assert response.json["title"] == "정보처리기사 필기 모의고사" and response.json["available"] is True
    assert ids(client.get("/api/tests/?page_size=1")) == [8]


@pytest.mark.parametrize("item_id", ["999", "0", "-1", "abc", "1.5", "99999999999999999999", "%EF%BC%91"])
def test_unknown_or_malformed_ids_are_404_problems(client, catalog, item_id):
    for kind in ("tests", "courses"):
        response = client.get(f"/api/{kind}/{item_id}")
        assert response.status_code == 404
        assert response.content_type == "application/problem+json"
        assert response.json["type"] == "/problems/not-found"


def cursor_token(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


BAD_QUERIES = [
    ("page_size=101", "/page_size"),
    ("page_size=0", "/page_size"),
    ("page_size=x", "/page_size"),
    ("page=0", "/page"),
    ("page=101", "/page"),  # 101 x 20 is past the first 2,000 results
    ("page=21&page_size=100", "/page"),
    ("page=20&page_size=100&min_price=1", None),  # the last 100 of the first 2,000: fine
    ("min_price=-1", "/min_price"),
    ("max_price=-5", "/max_price"),
    ("min_price=abc", "/min_price"),
    ("min_price=1.5", "/min_price"),
    ("min_price=5000&max_price=4000", "/max_price"),
    ("sort=cheapest", "/sort"),
    ("order=sideways", "/order"),
    ("status=closed", "/status"),
    ("starts_after=yesterday", "/starts_after"),
    ("starts_before=2026-13-01", "/starts_before"),
    ("starts_after=2026-02-01&starts_before=2026-01-01", "/starts_before"),
    ("q=x", "/q"),
    ("q=ab", None),  # two letters: a search (nothing matches)
    ("q=a-b", "/q"),  # no two letters in a row
    ("q=a%20b%20c", "/q"),
    ("q=" + "x" * 101, "/q"),
    ("cursor=not-a-cursor!", "/cursor"),
    ("cursor=" + cursor_token(["created", "desc", "yesterday", 1]), "/cursor"),
    ("cursor=" + cursor_token(["price", "asc", "10", 1]), "/cursor"),
    ("cursor=" + cursor_token(["price", "up", 10, 1]), "/cursor"),
    ("cursor=" + cursor_token({"sort": "price"}), "/cursor"),
    ("cursor=" + cursor_token(["created", "desc", "2026-01-01T00:00:00", 1]), "/cursor"),  # no time zone
    ("sort=price&cursor=" + cursor_token(["created", "desc", "2026-01-01T00:00:00+00:00", 1]), "/cursor"),
    ("order=asc&cursor=" + cursor_token(["created", "desc", "2026-01-01T00:00:00+00:00", 1]), "/cursor"),
    ("page=2&cursor=" + cursor_token(["price", "asc", 10, 1]), "/page"),
]


@pytest.mark.parametrize(("query", "pointer"), BAD_QUERIES)
def test_bad_queries_are_422_problems_per_field(client, catalog, query, pointer):
    for kind in ("tests", "courses"):
        response = client.get(f"/api/{kind}?{query}")
        if pointer is None:
            assert response.status_code == 200
            continue
        assert response.status_code == 422, response.json
        assert response.content_type == "application/problem+json"
        assert response.json["type"] == "/problems/validation-error"
        assert pointer in [error["pointer"] for error in response.json["errors"]]


def test_every_bad_field_is_reported_at_once(client, catalog):
    response = client.get("/api/tests?page_size=500&min_price=-1&sort=foo&cursor=zzz")
    pointers = {error["pointer"] for error in response.json["errors"]}
    assert pointers == {"/page_size", "/min_price", "/sort", "/cursor"}


def test_the_openapi_document_describes_both_catalogs(client):
    paths = client.get("/schema/").json["paths"]
    for kind in ("tests", "courses"):
        parameters = {p["name"] for p in paths[f"/api/{kind}"]["get"]["parameters"]}
        assert {"page", "page_size", "cursor", "status", "min_price", "max_price", "starts_after", "starts_before",
                "q", "sort", "order"} <= parameters  # fmt: skip
        assert "404" in paths[f"/api/{kind}/{{item_id}}"]["get"]["responses"]


def test_seed_loads_a_consistent_catalog_once(client, database_url, catalog):
    """`bench.seed_catalog` on a tiny scale: counts agree with registrations, indexes survive, no double seeding."""
    from bench.seed_catalog import SEED_EMAIL_DOMAIN, SEED_PASSWORD, reset, seed

    def one(sql: str):
        with psycopg.connect(catalog) as conn:
            return conn.execute(sql).fetchone()[0]

    def index_names() -> list[str]:
        tables = "'tests', 'courses', 'test_registrations', 'course_registrations'"
        with psycopg.connect(catalog) as conn:
            return sorted(r[0] for r in conn.execute(f"SELECT indexname FROM pg_indexes WHERE tablename IN ({tables})"))

    indexes = index_names()
    report = seed(database_url, n=300, users=20, registrations=150, random_seed=7)
    assert (report.items, report.users) == (600, 20)
    assert (one("SELECT count(*) FROM tests"), one("SELECT count(*) FROM courses")) == (300, 300)
    assert one(f"SELECT count(*) FROM users WHERE email LIKE '%@{SEED_EMAIL_DOMAIN}'") == 20
    registrations = one("SELECT count(*) FROM test_registrations"), one("SELECT count(*) FROM course_registrations")
    assert sum(registrations) == report.registrations and all(0 < n <= 150 for n in registrations)
    for table, regs, column in (("tests", "test_registrations", "test_id"),
                                ("courses", "course_registrations", "course_id")):  # fmt: skip
        live = f"(SELECT count(*) FROM {regs} r WHERE r.{column} = t.id AND r.status <> 'cancelled')"
        assert one(f"SELECT count(*) FROM {table} t WHERE registration_count <> {live}") == 0
        assert one(f"SELECT sum(registration_count) FROM {table}") > 0
        at = "applied_at" if table == "tests" else "enrolled_at"
        outside = f"SELECT count(*) FROM {regs} r JOIN {table} t ON t.id = r.{column} WHERE r.{at} < t.start_at"
        assert one(outside) == 0  # nobody applied before the window opened
        assert one(f"SELECT count(*) FROM {table} WHERE price % 1000 <> 0 OR price NOT BETWEEN 0 AND 300000") == 0
        assert 0 < one(f"SELECT count(*) FROM {table} WHERE now() >= start_at AND now() < end_at") < 300
        assert one(f"SELECT count(*) FROM {table} WHERE title ~ '[가-힣]'") > 50
        assert one(f"SELECT count(*) FROM {table} WHERE title ~ '^[ -~]+$'") > 50
        assert one(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))") == 301
    assert index_names() == indexes
    login = {"username": "seeduser00001", "password": SEED_PASSWORD}
    assert client.post("/api/auth/login", json=login).status_code == 200

    environment = {**os.environ, "DATABASE_URL": database_url}
    seeder = [sys.executable, "-m", "bench.seed_catalog"]
    again = subprocess.run(seeder, env=environment, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0 and "nothing loaded" in again.stdout
    assert one("SELECT count(*) FROM tests") == 300

    reset(catalog)
    assert one("SELECT count(*) FROM tests") == one("SELECT count(*) FROM test_registrations") == 0
    assert one(f"SELECT count(*) FROM users WHERE email LIKE '%@{SEED_EMAIL_DOMAIN}'") == 0
