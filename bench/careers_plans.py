"""`make explain-careers`: EXPLAIN (ANALYZE, BUFFERS) of the résumé and job posting reads on `bench_careers`.

No load is generated: each request is made once in-process (after warming up), with the SQL the gateway really
sends captured and explained on a warm connection. Seed first with `make seed-careers`. `python -m
bench.careers_plans search` explains only the cases whose name holds "search".
"""

import contextlib
import sys

import psycopg

from bench.seed_careers import DATABASE
from bench.seed_careers_rows import SECTIONS
from bench.seed_catalog import SEED_PASSWORD
from gateway.accounts.tokens import generate_private_key_pem
from gateway.app import create_app
from gateway.settings import GatewaySettings

URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
DSN = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"
IGNORED = ("token_revocations", "users")  # authentication's own round trips
SEARCH_WORDS = {"resumes": ("백엔드", "engineer"), "job-postings": ("개발자", "engineer")}
DEEP_PAGE = 20


def facts(conn: psycopg.Connection) -> dict:
    """The user with the most live résumés, one of their résumés with 10 items in every section, their counts."""
    username, user_id, resumes = conn.execute(
        "SELECT u.username, u.id, count(*) FROM resumes r JOIN users u ON u.id = r.owner_id "
        "WHERE r.deleted_at IS NULL GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1"
    ).fetchone()
    full = " AND ".join(f"(SELECT count(*) FROM {table} s WHERE s.resume_id = r.id) = 10" for table in SECTIONS)
    (resume_id,) = conn.execute(
        f"SELECT r.id FROM resumes r WHERE r.owner_id = %s AND r.deleted_at IS NULL AND {full} "
        "ORDER BY r.created_at DESC LIMIT 1",
        (user_id,),
    ).fetchone()
    (postings,) = conn.execute(
        "SELECT count(*) FROM job_postings WHERE owner_id = %s AND deleted_at IS NULL", (user_id,)
    ).fetchone()
    return {"username": username, "user_id": user_id, "resumes": resumes, "postings": postings, "full": resume_id}


def reads(f: dict) -> list[tuple[str, str, bool]]:
    """(label, path and query, has a target of its own): the reads the benchmark measures and explains."""
    resumes, postings = SEARCH_WORDS["resumes"], SEARCH_WORDS["job-postings"]
    return [
        ("a résumé with 10 items in every section", f"/api/resumes/{f['full']}", True),
        (f"résumé list, first page ({f['resumes']:,} résumés)", "/api/resumes", True),
        (f"résumé list, page {DEEP_PAGE}", f"/api/resumes?page={DEEP_PAGE}", True),
        (f"résumé list, title search: {resumes[0]}", f"/api/resumes?title={resumes[0]}", True),
        (f"résumé list, title search: {resumes[1]}", f"/api/resumes?title={resumes[1]}", True),
        (f"posting list, first page ({f['postings']:,} postings)", "/api/job-postings", True),
        (f"posting list, title search: {postings[0]}", f"/api/job-postings?title={postings[0]}", True),
        (f"posting list, title search: {postings[1]}", f"/api/job-postings?title={postings[1]}", True),
    ]


@contextlib.contextmanager
def sent(captured: list):
    """Every statement psycopg sends meanwhile, with its parameters: the ORM's and the plain reads' alike (an
    engine's before_cursor_execute sees only the former, and the reads that skip SQLAlchemy showed no plan)."""
    execute = psycopg.Cursor.execute

    def seen(cursor, query, params=None, *args, **kwargs):
        captured.append((query, params))
        return execute(cursor, query, params, *args, **kwargs)

    psycopg.Cursor.execute = seen
    try:
        yield
    finally:
        psycopg.Cursor.execute = execute


def plans(only: list[str] | None = None) -> list[tuple[str, str]]:
    """(label, the plans of every statement the read sends) for each read."""
    key, prefix = generate_private_key_pem(), "explain-careers"
    settings = GatewaySettings(_env_file=None, database_url=URL, jwt_private_key=key, rate_limit_prefix=prefix)
    app = create_app(settings)
    client, captured, out = app.test_client(), [], []
    with psycopg.connect(DSN, autocommit=True) as conn:
        f = facts(conn)
        login = client.post("/api/auth/login", json={"username": f["username"], "password": SEED_PASSWORD})
        auth = {"Authorization": f"Bearer {login.json['access_token']}"}
        for label, path, _ in reads(f):
            if only and not any(word in label for word in only):
                continue
            client.get(path, headers=auth)  # warm up
            captured.clear()
            with sent(captured):
                answer = client.get(path, headers=auth)
            assert answer.status_code == 200, (label, answer.json)
            texts = []
            for statement, params in list(captured):
                if any(f" {word} " in statement or f" {word}\n" in statement for word in IGNORED):
                    continue
                plan = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {statement}", params).fetchall()
                texts.append("\n".join(row[0] for row in plan))
            out.append((f"{label}: GET {path}", "\n\n".join(texts)))
    return out


def main() -> None:
    for title, text in plans(sys.argv[1:]):
        print(f"\n### {title}\n{text}\n")


if __name__ == "__main__":
    main()
