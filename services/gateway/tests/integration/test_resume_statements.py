"""A résumé with every section reads in a fixed number of SQL statements, however many items it has; a list reads
its rows only when there are some to show."""

import contextlib
import uuid

import psycopg
import pytest
from resumes_kit import SECTION_TABLES, resume_body

from gateway.careers import resumes_service


@contextlib.contextmanager
def counted():
    """The statements psycopg sends inside the block: the ORM sessions' and the plain reads' alike."""
    statements = []
    execute, executemany = psycopg.Cursor.execute, psycopg.Cursor.executemany

    def seen(cursor, query, *args, **kwargs):
        statements.append(query)
        return execute(cursor, query, *args, **kwargs)

    def seen_many(cursor, query, *args, **kwargs):
        statements.append(query)
        return executemany(cursor, query, *args, **kwargs)

    psycopg.Cursor.execute, psycopg.Cursor.executemany = seen, seen_many
    try:
        yield statements
    finally:
        psycopg.Cursor.execute, psycopg.Cursor.executemany = execute, executemany


@pytest.fixture
def deps(app):
    return app.extensions["gateway"]


def _written(client, who, items: int) -> dict:
    response = client.post("/api/resumes", json=resume_body(items=items), headers=who.headers)
    assert response.status_code == 201, response.json
    assert all(len(response.json[section]) == items for section in SECTION_TABLES)
    return response.json


def test_reading_a_resume_is_one_statement_with_1_or_10_items_per_section(client, alice, deps):
    counts = {}
    for items in (1, 10):
        resume = _written(client, alice, items)
        with counted() as statements:
            read = resumes_service.get_resume(deps.db.uow(), deps.store, uuid.UUID(alice.user["id"]), resume["id"])
        assert all(len(read[section]) == items for section in SECTION_TABLES)
        counts[items] = len(statements)
    assert counts == {1: 1, 10: 1}


def test_get_over_http_runs_as_many_statements_for_10_items_as_for_1(client, alice, deps):
    counts = {}
    for items in (1, 10):
        resume = _written(client, alice, items)
        client.get(f"/api/resumes/{resume['id']}", headers=alice.headers)  # the sign-in's own lookups warmed up
        with counted() as statements:
            response = client.get(f"/api/resumes/{resume['id']}", headers=alice.headers)
        assert response.status_code == 200 and len(response.json["educations"]) == items
        counts[items] = len(statements)
    assert counts[1] == counts[10] <= 2


def test_writing_runs_one_insert_per_section_however_many_items(client, alice, deps):
    counts = {}
    for items in (1, 10):
        with counted() as statements:
            _written(client, alice, items)
        counts[items] = len([s for s in statements if s.lstrip().upper().startswith("INSERT")])
    assert counts == {1: 7, 10: 7}


def test_a_list_reads_no_rows_past_its_end_or_for_a_search_that_finds_nothing(client, alice, deps):
    owner = uuid.UUID(alice.user["id"])
    _written(client, alice, 1)
    cases = {"past the end": (2, 20, None), "found nothing": (1, 20, "no such title"), "a page": (1, 20, "백엔드")}
    counts = {}
    for case, (page, size, title) in cases.items():
        with counted() as statements:
            items, total = resumes_service.list_resumes(deps.db.uow(), owner, page, size, title)
        counts[case] = (len(statements), len(items), total)
    assert counts == {"past the end": (1, 0, 1), "found nothing": (1, 0, 0), "a page": (2, 1, 1)}
