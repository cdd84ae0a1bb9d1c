"""DELETE /api/users/me erases the account's careers data: profile, résumés with their sections, postings, feedback
with its points, rewrites, interviews with their turns, study guides with their items, soft-deleted ones too; another
user's stays; a refused closure erases nothing."""

import psycopg
import pytest
from careers_rows import Rows

PASSWORD = "correct horse battery staple"
# (table, how its rows name their owner): the account's rows, each table of the line
OWNED = {
    "career_profiles": "user_id = %(owner)s",
    "resumes": "owner_id = %(owner)s",
    "job_postings": "owner_id = %(owner)s",
    "resume_feedbacks": "owner_id = %(owner)s",
    "resume_rewrites": "owner_id = %(owner)s",
    "interviews": "owner_id = %(owner)s",
    "study_guides": "owner_id = %(owner)s",
    "resume_experiences": "resume_id = ANY(%(resumes)s)",
    "resume_feedback_contents": "feedback_id = ANY(%(feedbacks)s)",
    "interview_turns": "interview_id = ANY(%(interviews)s)",
    "study_items": "guide_id = ANY(%(guides)s)",
}


@pytest.fixture
def dsn(database_url):
    return database_url.replace("postgresql+psycopg://", "postgresql://")


def everything(app, who) -> dict:
    """A whole careers life: every kind of row, live and deleted ones; the ids by kind."""
    rows = Rows(app.extensions["gateway"].db, who.user["id"])
    rows.profile()
    resumes = [rows.resume(), rows.resume(deleted=True)]
    feedbacks = [rows.feedback(resumes[0]), rows.feedback(resumes[0], deleted=True)]
    rows.posting()
    rows.posting(deleted=True)
    rows.rewrite(feedbacks[0])
    interviews = [rows.interview()]
    guides = [rows.guide(), rows.guide(deleted=True)]
    return {
        "owner": who.user["id"],
        "resumes": resumes,
        "feedbacks": feedbacks,
        "interviews": interviews,
        "guides": guides,
    }


def counts(dsn: str, ids: dict) -> dict:
    with psycopg.connect(dsn) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table} WHERE {where}", ids).fetchone()[0]
            for table, where in OWNED.items()
        }


def close(client, who, password=PASSWORD):
    return client.delete("/api/users/me", json={"password": password}, headers=who.headers)


def test_closing_erases_every_careers_row_of_the_account_and_no_one_elses(app, client, alice, bob, dsn):
    mine, theirs = everything(app, alice), everything(app, bob)
    assert all(counts(dsn, mine).values()) and all(counts(dsn, theirs).values())
    before = counts(dsn, theirs)

    assert close(client, alice).status_code == 204

    assert counts(dsn, mine) == dict.fromkeys(OWNED, 0)
    assert counts(dsn, theirs) == before


def test_a_refused_closure_erases_nothing(app, client, alice, dsn):
    mine = everything(app, alice)
    before = counts(dsn, mine)
    refused = close(client, alice, "not the password at all")
    assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    assert counts(dsn, mine) == before
