"""Every way the catalog reads a page gives what a naive sort of the matching rows gives.

A few hundred exams with long runs of equal keys and items exactly at the edges of the window and of a
start_at range. Each filter x sort x order is walked by cursor and by page number, once as the planner
likes and once with sequential and bitmap scans priced out, so that the GiST (KNN) and btree plans are the
ones that answer (a test checks which index each uses); the expected order is computed here in Python.
"""

import random
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from gateway.app import create_app
from gateway.platform.db import compiled_sql

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
US, HOUR = timedelta(microseconds=1), timedelta(hours=1)
RANGE = (NOW - 40 * HOUR, NOW + 30 * HOUR)  # starts_after (inclusive), starts_before (exclusive)
PAGE = 9
SORT_KEYS = {"created": "created_at", "popular": "registration_count", "price": "price", "start_at": "start_at"}
ORDERS = [(sort, order) for sort in SORT_KEYS for order in ("asc", "desc")]
# (start, end) pairs exactly at the edges: open iff start <= now < end; in range iff after <= start < before
EDGES = [
    (NOW, NOW + HOUR),  # opens now: open
    (NOW - HOUR, NOW),  # closes now: closed
    (NOW + US, NOW + HOUR),  # opens a microsecond from now: not yet
    (NOW - HOUR, NOW + US),  # closes a microsecond from now: open
    (RANGE[0], RANGE[0] + HOUR),  # starts on starts_after: in range
    (RANGE[0] - US, RANGE[0] + HOUR),
    (RANGE[1], RANGE[1] + HOUR),  # starts on starts_before: out of range
    (RANGE[1] - US, RANGE[1] + HOUR),
]
TITLES = ["Python Basics", "파이썬 기초 시험", "TOEIC Mock", "정보처리기사 필기", "Advanced python exam", "SQL Quiz"]


def _items(count: int = 240) -> list[dict]:
    rng = random.Random(4)
    items = []
    for item_id in range(1, count + 1):
        if item_id <= len(EDGES):
            start, end = EDGES[item_id - 1]
        else:
            start = NOW + rng.randrange(-300, 300) * HOUR  # on the hour: many equal start_at
            end = start + rng.choice([1, 5, 24, 200, 400]) * HOUR
        items.append(
            {
                "id": item_id,
                "title": f"{rng.choice(TITLES)} {item_id}",
                "price": rng.choice([0, 0, 0, 1000, 5000, 5000, 10000, 25000, 50000, 120000]),
                "start_at": start,
                "end_at": end,
                "registration_count": rng.choice([0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 7, 12]),
                "created_at": NOW - (count - item_id) // 3 * HOUR,  # in threes: equal created_at
            }
        )
    return items


ITEMS = _items()


def _available(i):
    return i["start_at"] <= NOW < i["end_at"]


def _in_range(i):
    return RANGE[0] <= i["start_at"] < RANGE[1]


def _priced(i):
    return 5000 <= i["price"] <= 50000


def _python(i):
    return "python" in i["title"].lower()


FILTERS = {  # name: (query arguments, the rule in Python)
    "none": ({}, lambda i: True),
    "available": ({"available": True}, _available),
    "price": ({"min_price": 5000, "max_price": 50000}, _priced),
    "range": ({"starts_after": RANGE[0], "starts_before": RANGE[1]}, _in_range),
    "after": ({"starts_after": RANGE[0]}, lambda i: i["start_at"] >= RANGE[0]),
    "before": ({"starts_before": RANGE[1]}, lambda i: i["start_at"] < RANGE[1]),
    "available+price": ({"available": True, "min_price": 5000, "max_price": 50000},
                        lambda i: _available(i) and _priced(i)),
    "available+range": ({"available": True, **dict(zip(("starts_after", "starts_before"), RANGE, strict=True))},
                        lambda i: _available(i) and _in_range(i)),
    "q": ({"q": "python"}, _python),
    "q+available": ({"q": "python", "available": True}, lambda i: _python(i) and _available(i)),
    "q+range": ({"q": "python", "starts_after": RANGE[0], "starts_before": RANGE[1]},
                lambda i: _python(i) and _in_range(i)),
    "two letters": ({"q": "기초"}, lambda i: "기초" in i["title"]),  # the bigram index
    "two letters+available": ({"q": "기초", "available": True}, lambda i: "기초" in i["title"] and _available(i)),
}  # fmt: skip


def expected(rule, sort: str, order: str) -> list[int]:
    key = SORT_KEYS[sort]
    rows = sorted((i for i in ITEMS if rule(i)), key=lambda i: (i[key], i["id"]), reverse=order == "desc")
    return [i["id"] for i in rows]


def test_the_fixture_has_items_at_every_edge():
    assert [_available(i) for i in ITEMS[:4]] == [True, False, False, True]
    assert [_in_range(i) for i in ITEMS[4:8]] == [True, False, False, True]
    counts = {}
    for i in ITEMS:
        counts[i["registration_count"]] = counts.get(i["registration_count"], 0) + 1
    assert counts[0] > 100 and len(counts) > 3  # long runs of ties, and items on both popularity indexes


@pytest.fixture(scope="module")
def exams(database_url):
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        conn.execute("TRUNCATE tests, courses, test_registrations, course_registrations RESTART IDENTITY")
        with conn.cursor().copy(
            "COPY tests (id, title, description, price, start_at, end_at, registration_count, created_at, updated_at)"
            " FROM STDIN"
        ) as copy:
            for i in ITEMS:
                copy.write_row((i["id"], i["title"], "", i["price"], i["start_at"], i["end_at"],
                                i["registration_count"], i["created_at"], i["created_at"]))  # fmt: skip
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE tests")
    yield dsn
    with psycopg.connect(dsn) as conn:
        conn.execute("TRUNCATE tests RESTART IDENTITY CASCADE")


SCANS_PRICED_OUT = "-c enable_seqscan=off -c enable_bitmapscan=off"
PRICED_OUT = f"{SCANS_PRICED_OUT} -c enable_sort=off"


@pytest.fixture(scope="module", params=["planner's choice", "indexes forced"])
def uow(request, gateway_settings, exams):
    """Units of work of an app whose connections plan freely, or with sequential and bitmap scans priced out."""
    settings = gateway_settings
    if request.param == "indexes forced":
        options = SCANS_PRICED_OUT.replace(" ", "%20").replace("=", "%3D")
        settings = gateway_settings.model_copy(
            update={"database_url": f"{gateway_settings.database_url}?options={options}"}
        )
    app = create_app(settings)
    with app.app_context():
        yield app.extensions["gateway"].db.uow
    app.extensions["gateway"].db.dispose()


def _walk(uow, listing_args: dict, sort: str, order: str, viewer=None) -> list:
    from gateway.catalog import service

    tests, filters = service.CATALOGS["tests"], service.Filters(**listing_args)
    listing = service.Listing(filters, sort, order, PAGE)
    seen = []
    for _ in range(len(ITEMS)):
        page = service.list_items(uow(), tests, listing, viewer, now=NOW)
        seen += page.items
        if page.next_cursor is None:
            return seen
        assert len(page.items) == PAGE
        listing = service.Listing(filters, sort, order, PAGE, None, service.Cursor.decode(page.next_cursor))
    raise AssertionError("the cursor never ended")


def _numbered(uow, listing_args: dict, sort: str, order: str) -> list[int]:
    from gateway.catalog import service

    tests, filters, seen = service.CATALOGS["tests"], service.Filters(**listing_args), []
    for number in range(1, len(ITEMS) // PAGE + 3):
        page = service.list_items(uow(), tests, service.Listing(filters, sort, order, PAGE, number), now=NOW)
        seen += [item.id for item in page.items]
        if not page.items:
            return seen
    return seen


@pytest.mark.parametrize("name", list(FILTERS))
@pytest.mark.parametrize(("sort", "order"), ORDERS)
def test_cursor_and_numbered_pages_match_a_naive_sort(uow, name, sort, order):
    arguments, rule = FILTERS[name]
    want = expected(rule, sort, order)
    assert want, "every filter matches something"
    walked = _walk(uow, arguments, sort, order)
    assert [item.id for item in walked] == want
    assert all(item.available == _available(ITEMS[item.id - 1]) for item in walked)
    assert _numbered(uow, arguments, sort, order) == want


@pytest.mark.parametrize("walk_rows", [1, 3, 5_000])
@pytest.mark.parametrize(("sort", "order"), ORDERS)
def test_title_search_with_a_window_filter_walks_or_sorts_alike(uow, monkeypatch, walk_rows, sort, order):
    from gateway.catalog import service

    monkeypatch.setattr(service, "WALK_ROWS", walk_rows)
    for name in ("q+available", "q+range", "two letters", "two letters+available"):
        arguments, rule = FILTERS[name]
        assert [item.id for item in _walk(uow, arguments, sort, order)] == expected(rule, sort, order)
        assert _numbered(uow, arguments, sort, order) == expected(rule, sort, order)


def test_the_window_filters_are_read_through_the_gist_indexes(exams):
    """With scans and sorts priced out, each window listing is answered by its order's GiST index (KNN)."""
    from gateway.catalog import service

    tests, indexes = service.CATALOGS["tests"], {"created": "created", "popular": "popular", "price": "price"}
    with psycopg.connect(exams, autocommit=True, options=PRICED_OUT) as conn:
        for sort, order in ORDERS:
            for name in ("available", "range", "available+price"):
                filters = service.Filters(**FILTERS[name][0])
                for cursor in (None, service.Cursor(sort, order, ITEMS[100][SORT_KEYS[sort]], 101)):
                    listing = service.Listing(filters, sort, order, PAGE, None if cursor else 1, cursor)
                    query, params = service.page_query(tests, listing, NOW)
                    sql, defaults = compiled_sql(query)
                    plan = "\n".join(row[0] for row in conn.execute(f"EXPLAIN {sql}", {**defaults, **params}))
                    assert f"ix_tests_window_{indexes.get(sort, 'start')}" in plan, plan
                    if sort == "popular":
                        assert "ix_tests_window_unregistered" in plan, plan


def test_applied_flags_on_a_window_page(uow, alice, exams):
    """The applied flags come with the page query; here on the GiST path, for a viewer with registrations."""
    mine = [i["id"] for i in ITEMS if _available(i)][:5]
    with psycopg.connect(exams) as conn:
        for item_id in mine:
            conn.execute(
                "INSERT INTO test_registrations (user_id, test_id, status, applied_at) VALUES (%s, %s, %s, now())",
                (alice.user["id"], item_id, "cancelled" if item_id == mine[0] else "applied"),
            )
    try:
        walked = _walk(uow, {"available": True}, "price", "asc", alice.user["id"])
        assert {item.id for item in walked if item.applied} == set(mine[1:])
        assert [item.id for item in walked] == expected(_available, "price", "asc")
    finally:
        with psycopg.connect(exams) as conn:
            conn.execute("DELETE FROM test_registrations")
