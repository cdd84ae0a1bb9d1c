"""A lecture with all its tasks and steps reads in a fixed number of SQL statements, however many it has; a page of
lectures too, however many are on it; a whole list of steps is written with as many statements for 20 as for 2."""

import contextlib
import uuid

import pytest
from lectures_kit import Teaching
from sqlalchemy import event

from gateway.classroom import lectures_service, tasks_service


@contextlib.contextmanager
def counted(engine):
    """The statements the engine runs inside the block (every query of the gateway's ORM sessions)."""
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)


@pytest.fixture
def deps(app):
    return app.extensions["gateway"]


@pytest.fixture
def teaching(client, accounts, database_url):
    return Teaching(client, accounts, database_url)


SHAPES = {"small": (1,), "large": (10, 10, 10, 10, 10)}


def test_reading_a_lecture_is_one_statement_with_1_or_50_steps(teaching, deps):
    kim = teaching.instructor()
    counts = {}
    for name, steps in SHAPES.items():
        lecture = teaching.lecture(kim, steps=steps)
        with counted(deps.db.engine) as statements:
            read = lectures_service.get_lecture(deps.db.uow(), uuid.UUID(kim.user["id"]), lecture["id"])
        assert read["subtask_count"] == sum(steps) == sum(len(task["subtasks"]) for task in read["tasks"])
        counts[name] = len(statements)
    assert counts == {"small": 1, "large": 1}


def test_get_over_http_runs_as_many_statements_for_50_steps_as_for_1(client, teaching, deps):
    kim = teaching.instructor()
    counts = {}
    for name, steps in SHAPES.items():
        lecture = teaching.lecture(kim, steps=steps)
        for path in (f"/api/lectures/{lecture['id']}", f"/api/lectures/{lecture['id']}/tasks"):
            client.get(path, headers=kim.headers)  # the sign-in's own lookups warmed up
            with counted(deps.db.engine) as statements:
                response = client.get(path, headers=kim.headers)
            assert response.status_code == 200
            counts[name, path.rsplit("/", 1)[-1]] = len(statements)
    assert counts["small", "tasks"] == counts["large", "tasks"] <= 2
    assert len({count for key, count in counts.items() if key[1] != "tasks"}) == 1
    assert max(counts.values()) <= 2


def test_a_task_and_a_step_read_in_one_statement_each(teaching, deps):
    kim = teaching.instructor()
    lecture = teaching.lecture(kim, steps=(10,))
    task = lecture["tasks"][0]
    with counted(deps.db.engine) as statements:
        tasks_service.get_task(deps.db.uow(), uuid.UUID(kim.user["id"]), task["id"])
        tasks_service.get_step(deps.db.uow(), uuid.UUID(kim.user["id"]), task["subtasks"][3]["id"])
    assert len(statements) == 2


def test_a_page_of_lectures_is_two_statements_however_many_it_holds(client, teaching, deps):
    kim = teaching.instructor()
    teaching.lecture(kim, steps=(2, 3))
    counts = {}
    for size in (1, 20):
        while client.get("/api/lectures?page_size=100", headers=kim.headers).json["total"] < size:
            teaching.lecture(kim, steps=(1,))
        with counted(deps.db.engine) as statements:
            page = lectures_service.list_lectures(deps.db.uow(), uuid.UUID(kim.user["id"]), True, None, 1, size)
        assert len(page[0]) == size
        counts[size] = len(statements)
    assert counts == {1: 2, 20: 2}


def test_a_whole_list_of_steps_is_written_in_as_many_statements_for_20_as_for_2(client, teaching, deps):
    kim = teaching.instructor()
    counts = {}
    for size in (2, 20):
        task = teaching.task(kim, teaching.lecture(kim)["id"], subtasks=teaching.steps(size))
        kept = [{"id": step["id"], "title": f"{step['title']}!"} for step in task["subtasks"]][::-1]
        body = {"subtasks": [*kept[: size // 2], *teaching.steps(size)]}  # half kept and reversed, half removed
        with counted(deps.db.engine) as statements:
            response = client.post(f"/api/tasks/{task['id']}/subtasks", json=body, headers=kim.headers)
        assert response.status_code == 200 and response.json["deleted_count"] == size // 2
        counts[size] = len(statements)
    assert counts[2] == counts[20]
