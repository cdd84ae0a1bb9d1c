"""`bench.seed_classroom` on a fresh database: the demo users sign in with the printed passwords, both lectures are
whole (tasks and steps in order, realistic target actions), the learner is enrolled, a session WAITS under a code
of the session alphabet; a second run makes nothing new and prints the same."""

import psycopg
import pytest

from bench.seed_catalog import psycopg_dsn
from bench.seed_classroom import INSTRUCTOR, LEARNER, report, seed
from bench.seed_classroom_lectures import LECTURES
from gateway.accounts.passwords import verify_password
from gateway.classroom.sessions_rules import CODE_ALPHABET, CODE_LENGTH

TABLES = ("users", "lectures", "lecture_tasks", "lecture_steps", "lecture_enrollments", "class_sessions")


def counts(conn) -> dict[str, int]:
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}


@pytest.fixture(scope="module")
def seeded(fresh_gateway_database):
    with fresh_gateway_database("seed_classroom") as url:
        first = seed(url)
        with psycopg.connect(psycopg_dsn(url), autocommit=True) as conn:
            yield url, conn, first


def test_the_demo_users_sign_in_with_the_printed_passwords(seeded):
    _, conn, first = seeded
    for username, _, password in (INSTRUCTOR, LEARNER):
        roles, hashed = conn.execute(
            "SELECT roles, password_hash FROM users WHERE username = %s", (username,)
        ).fetchone()
        assert verify_password(hashed, password)
        assert ("instructor" in roles) == (username == INSTRUCTOR[0])
    printed = report(first, "http://localhost:8000")
    assert INSTRUCTOR[2] in printed and LEARNER[2] in printed and first.code in printed


def test_both_lectures_are_whole_and_in_order(seeded):
    _, conn, first = seeded
    for lecture in LECTURES:
        lecture_id = first.lectures[lecture["title"]]
        tasks = conn.execute(
            "SELECT id, title, position FROM lecture_tasks WHERE lecture_id = %s ORDER BY position", (lecture_id,)
        ).fetchall()
        assert [t[1] for t in tasks] == [t["title"] for t in lecture["tasks"]]
        assert [t[2] for t in tasks] == list(range(len(tasks)))
        for (task_id, _, _), task in zip(tasks, lecture["tasks"], strict=True):
            steps = conn.execute(
                "SELECT title, position, target_action, guide_text FROM lecture_steps WHERE task_id = %s "
                "ORDER BY position",
                (task_id,),
            ).fetchall()
            assert [s[0] for s in steps] == [s["title"] for s in task["subtasks"]]
            assert [s[1] for s in steps] == list(range(len(steps))) and all(s[2] and s[3] for s in steps)
    actions = {row[0] for row in conn.execute("SELECT DISTINCT target_action FROM lecture_steps")}
    assert {"CLICK", "SCROLL", "INPUT", "SWIPE", "WAIT", "BACK", "HOME"} <= actions


def test_the_learner_is_enrolled_and_a_session_waits(seeded):
    _, conn, first = seeded
    enrolled = conn.execute("SELECT lecture_id FROM lecture_enrollments WHERE user_id = %s", (first.learner_id,))
    assert {row[0] for row in enrolled} == set(first.lectures.values())
    status, code = conn.execute("SELECT status, code FROM class_sessions WHERE id = %s", (first.session_id,)).fetchone()
    assert status == "WAITING" and code == first.code
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)


def test_a_second_run_makes_nothing_new(seeded):
    url, conn, first = seeded
    before = counts(conn)
    again = seed(url)
    assert again == first and counts(conn) == before
