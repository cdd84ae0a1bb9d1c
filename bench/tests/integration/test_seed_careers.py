"""`bench.seed_careers` on a tiny scale: every résumé's sections in order, full résumés full, both languages, valid
codes, the indexes rebuilt, seeded users able to sign in, and a second run that loads nothing."""

import os
import subprocess
import sys

import psycopg
import pytest
from sqlalchemy.engine import make_url

from bench.seed_careers import TABLES, Size, seed
from bench.seed_careers_rows import EMAIL_DOMAIN, SECTIONS
from bench.seed_catalog import SEED_PASSWORD, psycopg_dsn
from gateway.accounts.passwords import verify_password

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
SIZE = Size(users=30, resumes=600, postings=400, full_share=0.05)


@pytest.fixture(scope="module")
def seeded(fresh_gateway_database):
    with fresh_gateway_database("seed_careers") as url:
        dsn = psycopg_dsn(url)
        with psycopg.connect(dsn) as conn:
            indexes = _index_names(conn)
        counts = seed(url, SIZE, random_seed=5)
        with psycopg.connect(dsn, autocommit=True) as conn:
            yield url, conn, counts, indexes


def _index_names(conn) -> list[str]:
    query = "SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1"
    return [row[0] for row in conn.execute(query, (list(TABLES),))]


def _one(conn, sql: str):
    return conn.execute(sql).fetchone()[0]


def test_the_counts_are_the_rows_loaded_and_the_indexes_are_back(seeded):
    _, conn, counts, indexes = seeded
    assert (counts["users"], counts["resumes"], counts["job_postings"]) == (30, 600, 400)
    for table, count in counts.items():
        assert _one(conn, f"SELECT count(*) FROM {table}") == count
    assert all(counts[table] > 0 for table in SECTIONS)
    assert _index_names(conn) == indexes


def test_every_section_is_numbered_from_zero_without_gaps(seeded):
    conn = seeded[1]
    for table in SECTIONS:
        gaps = f"SELECT count(*) FROM (SELECT resume_id FROM {table} GROUP BY 1 HAVING max(position) <> count(*) - 1) g"
        assert _one(conn, gaps) == 0, table
        orphans = f"SELECT count(*) FROM {table} s WHERE NOT EXISTS (SELECT FROM resumes r WHERE r.id = s.resume_id)"
        assert _one(conn, orphans) == 0, table


def test_some_resumes_have_ten_items_in_every_section_and_others_are_thin(seeded):
    conn = seeded[1]
    per_section = [f"(SELECT count(*) FROM {table} s WHERE s.resume_id = r.id)" for table in SECTIONS]
    full = _one(conn, f"SELECT count(*) FROM resumes r WHERE {' AND '.join(f'{n} = 10' for n in per_section)}")
    assert 10 <= full <= 60
    assert _one(conn, f"SELECT count(*) FROM resumes r WHERE {per_section[0]} = 0") > 0
    longest = _one(conn, "SELECT max(length(job_description)) FROM resume_experiences")
    assert 200 < longest <= 1000


def test_titles_and_texts_are_korean_and_english(seeded):
    conn = seeded[1]
    for table in ("resumes", "job_postings"):
        assert _one(conn, f"SELECT count(*) FROM {table} WHERE title ~ '[가-힣]'") > 50
        assert _one(conn, f"SELECT count(*) FROM {table} WHERE title ~ '^[ -~]+$'") > 50
    assert _one(conn, "SELECT count(*) FROM resume_experiences WHERE job_description ~ '[가-힣]'") > 0
    assert _one(conn, "SELECT count(*) FROM job_postings WHERE qualification LIKE '%' || chr(10) || '- %'") > 0


def test_codes_dates_and_soft_deletes_are_as_the_api_expects(seeded):
    conn = seeded[1]
    assert _one(conn, "SELECT count(*) FROM resumes WHERE resume_type <> '1'") == 0
    assert _one(conn, "SELECT count(*) FROM resumes WHERE gender NOT IN ('1', '2')") == 0
    assert _one(conn, "SELECT count(*) FROM resumes WHERE military_service NOT IN ('1','2','3','4','5','6')") == 0
    bad_degrees = "SELECT count(*) FROM resume_educations WHERE degree_level NOT IN ('1', '2', '3', '4', '5')"
    assert _one(conn, bad_degrees) == 0
    assert _one(conn, "SELECT count(*) FROM resumes WHERE updated_at < created_at OR created_at > now()") == 0
    assert _one(conn, "SELECT count(*) FROM resumes WHERE deleted_at IS NOT NULL") < 600 * 0.1
    assert _one(conn, "SELECT count(*) FROM resume_experiences WHERE start_date > current_date") == 0


def test_seeded_users_sign_in_and_the_busiest_comes_first(seeded):
    conn = seeded[1]
    password_hash = _one(conn, "SELECT password_hash FROM users WHERE username = 'careeruser00001'")
    assert verify_password(password_hash, SEED_PASSWORD)
    assert _one(conn, f"SELECT count(*) FROM users WHERE email LIKE '%@{EMAIL_DOMAIN}'") == 30
    busiest = "SELECT u.username FROM resumes r JOIN users u ON u.id = r.owner_id GROUP BY 1 ORDER BY count(*) DESC"
    assert _one(conn, busiest) == "careeruser00001"


def test_a_second_run_loads_nothing(seeded):
    url, conn = seeded[0], seeded[1]
    database = make_url(url).database
    environment = {**os.environ, "DATABASE_URL": url}
    again = subprocess.run(
        [sys.executable, "-m", "bench.seed_careers", "--database", database],
        env=environment, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert again.returncode == 0 and "nothing loaded" in again.stdout, again.stderr
    assert _one(conn, "SELECT count(*) FROM resumes") == 600
