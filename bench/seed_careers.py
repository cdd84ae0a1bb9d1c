"""`make seed-careers`: résumés and job postings at benchmark size, in a database of its own (`bench_careers`), by COPY.

3,000 job seekers (a few keep hundreds of résumés, most a dozen or two); 100,000 résumés in Korean or English
with their six sections, from empty to thin to full (2% have 10 items in every section), 3% soft-deleted; 100,000
job postings, their requirements drawn from the same skills. Skips (exit 0) if the database already has
résumés; `--reset` drops it and loads again. Seeded users sign in with their username (`careeruser00001` ...,
the busiest first) and SEED_PASSWORD.
"""

import argparse
import dataclasses
import time

import psycopg

from bench.seed_careers_rows import COLUMNS, SECTIONS, Loader
from bench.seed_catalog import psycopg_dsn
from bench.seed_studio import bench_url, prepare
from gateway.settings import GatewaySettings

DATABASE = "bench_careers"
TABLES = ("users", "career_profiles", "resumes", *SECTIONS, "job_postings")
CHUNK_ROWS = 20_000


@dataclasses.dataclass(frozen=True)
class Size:
    users: int = 3_000
    resumes: int = 100_000
    postings: int = 100_000
    full_share: float = 0.02  # résumés with 10 items in every section
    deleted_share: float = 0.03


def seed(database_url: str, size: Size = Size(), random_seed: int = 1) -> dict[str, int]:
    """Load the careers data into an empty, migrated database, in one transaction; rows per table."""
    loader = Loader(size.users, size.full_share, size.deleted_share, random_seed, int(time.time()))
    counts = dict.fromkeys(TABLES, 0)
    with psycopg.connect(psycopg_dsn(database_url)) as conn:
        conn.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")  # FREEZE needs the tables emptied in this transaction
        conn.execute("SET LOCAL maintenance_work_mem = '256MB'")
        if conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]:
            conn.execute("SET LOCAL session_replication_role = replica")  # rows reference each other by construction
        indexes = _plain_indexes(conn)
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        streams = {"users": loader.users(), "career_profiles": loader.profiles()}
        streams |= {"resumes": loader.resumes(size.resumes), "job_postings": loader.postings(size.postings)}
        for table, rows in streams.items():
            counts[table] = _copy(conn, table, rows)
        for table in SECTIONS:  # the résumés' items, gathered while their résumés were written
            counts[table] = _copy(conn, table, loader.section(table))
        for _, definition in indexes:
            conn.execute(definition)
        conn.commit()
        conn.autocommit = True
        conn.execute(f"ANALYZE {', '.join(TABLES)}")  # COPY FREEZE has already set the visibility map
    return counts


def _copy(conn: psycopg.Connection, table: str, rows) -> int:
    """COPY an iterable of row texts into `table` in chunks; how many rows."""
    count, chunk = 0, []
    with conn.cursor().copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN (FREEZE)") as copy:
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK_ROWS:
                copy.write("".join(chunk))
                count, chunk = count + len(chunk), []
        copy.write("".join(chunk))
    return count + len(chunk)


def _plain_indexes(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """Indexes backing no constraint on the loaded tables: rebuilt after the load, much faster than upkeep."""
    return conn.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = ANY(%s::regclass[]) AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.oid)",
        (list(TABLES),),
    ).fetchall()


def has_resumes(url: str) -> bool:
    with psycopg.connect(psycopg_dsn(url)) as conn:
        return conn.execute("SELECT EXISTS (SELECT FROM resumes)").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DATABASE, help="created and migrated if missing")
    parser.add_argument("--reset", action="store_true", help="drop the database first, then load again")
    parser.add_argument("--users", type=int, default=Size.users)
    parser.add_argument("--resumes", type=int, default=Size.resumes)
    parser.add_argument("--postings", type=int, default=Size.postings)
    parser.add_argument("--random-seed", type=int, default=1)
    args = parser.parse_args()
    url = bench_url(GatewaySettings().database_url, args.database)
    if not prepare(url, args.reset, probe="resumes"):
        print(f"{args.database} already holds résumés: nothing loaded (pass --reset to load it again)")
        return
    started = time.perf_counter()
    counts = seed(url, Size(args.users, args.resumes, args.postings), args.random_seed)
    print(
        ", ".join(f"{count:,} {table}" for table, count in counts.items())
        + f" into {args.database} in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
