"""`make bench-catalog`: catalog reads at concurrency 16 on a million exams and a million courses.

The data lives in the database `bench_catalog`, kept between runs: the first run
creates, migrates and seeds it (`bench.seed_catalog`, about a minute); later runs reuse
it (drop it to reseed). A gunicorn gateway is started on it as bench/run.py does,
and wrk measures each request shape. The EXPLAIN (ANALYZE, BUFFERS) plans of the
main queries, and the time of every filter x sort combination alone, go into
docs/benchmarks.md with the figures.
"""

import argparse
import datetime
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, timedelta
from pathlib import Path
from urllib.parse import quote

import psycopg
from sqlalchemy.dialects import postgresql

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests/e2e"))
from e2e_stack import Stack  # noqa: E402

from bench.report import Figure, output_arguments, publish  # noqa: E402
from bench.run import TUNABLES, machine, parse_wrk, wrk  # noqa: E402
from bench.seed_catalog import SEED_PASSWORD, already_seeded, seed  # noqa: E402
from gateway.accounts.tokens import generate_private_key_pem  # noqa: E402
from gateway.catalog.service import CATALOGS, Cursor, Filters, Listing, page_query  # noqa: E402
from gateway.migrate import create_database_if_missing, upgrade  # noqa: E402

DATABASE = "bench_catalog"
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE}"
DSN = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"
TARGET_P95_MS = 50
DEEP_POSITION = 500_000  # the deep cursor points half-way through the million
DEEP_WINDOW_POSITION = 10_000  # and one deep among the ~36,000 open exams (92,000 courses)
WRK_SCRIPT = """
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
done = function(summary, latency, requests)
  io.write(string.format("PERCENTILES %d %d %d\\n", latency:percentile(50), latency:percentile(95),
                         latency:percentile(99)))
end
"""


def ensure_seeded() -> float | None:
    """Create, migrate and seed bench_catalog unless a previous run did; the seed's seconds if it ran."""
    create_database_if_missing(URL)
    upgrade(URL)
    if already_seeded(DSN):
        return None
    print(f"seeding {DATABASE} (once; later runs reuse it)...", flush=True)
    return seed(URL).seconds


def deep_cursor(kind: str) -> str:
    """A cursor at DEEP_POSITION of the default order, as if 25,000 pages had been walked."""
    with psycopg.connect(DSN) as conn:
        key, item_id = conn.execute(
            f"SELECT created_at, id FROM {kind} ORDER BY created_at DESC, id DESC OFFSET %s LIMIT 1", (DEEP_POSITION,)
        ).fetchone()
    return Cursor("created", "desc", key, item_id).encode()


def window_cursor(kind: str, now: datetime.datetime) -> str:
    """A cursor at row DEEP_WINDOW_POSITION of the open items by popularity, ascending: inside the long run of
    items with no registration, which the page after it must continue in id order."""
    with psycopg.connect(DSN) as conn:
        key, item_id = conn.execute(
            f"SELECT registration_count, id FROM {kind} WHERE start_at <= %s AND end_at > %s "
            "ORDER BY registration_count, id OFFSET %s LIMIT 1",
            (now, now, DEEP_WINDOW_POSITION),
        ).fetchone()
    return Cursor("popular", "asc", key, item_id).encode()


def scenarios(kind: str, now: datetime.datetime) -> list[tuple[str, str, bool]]:
    """(label, path and query, signed in) for one catalog: every filter, every sort, and the combinations
    of a window filter with an ascending order that once walked most of the table (issue 4)."""
    day = now.date()
    window = f"starts_after={day - timedelta(days=15)}&starts_before={day + timedelta(days=15)}"
    term = "python" if kind == "tests" else "정보처리기사"
    return [
        ("first page", f"/api/{kind}", False),
        ("first page, signed in (applied flags)", f"/api/{kind}", True),
        (f"deep page: cursor at row {DEEP_POSITION:,}", f"/api/{kind}?cursor={deep_cursor(kind)}", False),
        ("deepest numbered page (page 100 of 20)", f"/api/{kind}?page=100", False),
        ("status=available", f"/api/{kind}?status=available", False),
        ("price 10,000-50,000", f"/api/{kind}?min_price=10000&max_price=50000", False),
        ("start_at within 30 days around today", f"/api/{kind}?{window}", False),
        (f"title search q={term}", f"/api/{kind}?q={term}", False),
        ("sort=popular", f"/api/{kind}?sort=popular", False),
        ("sort=price", f"/api/{kind}?sort=price", False),
        ("sort=start_at", f"/api/{kind}?sort=start_at", False),
        ("status=available&sort=start_at (asc)", f"/api/{kind}?status=available&sort=start_at", False),
        ("status=available&sort=created&order=asc", f"/api/{kind}?status=available&sort=created&order=asc", False),
        ("status=available&sort=popular&order=asc", f"/api/{kind}?status=available&sort=popular&order=asc", False),
        ("status=available&sort=price (asc)", f"/api/{kind}?status=available&sort=price", False),
        (f"status=available, popular asc, cursor at row {DEEP_WINDOW_POSITION:,}",
         f"/api/{kind}?status=available&cursor={window_cursor(kind, now)}", False),
        ("start_at within 30 days, sort=created&order=asc", f"/api/{kind}?{window}&sort=created&order=asc", False),
        ("start_at within 30 days, sort=popular&order=asc", f"/api/{kind}?{window}&sort=popular&order=asc", False),
        ("start_at in the next 7 days, sort=popular", f"/api/{kind}?starts_after={day}&starts_before="
         f"{day + timedelta(days=7)}&sort=popular", False),
        ("one item by id", f"/api/{kind}/{DEEP_POSITION}", False),
    ]  # fmt: skip


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of these processes so far (from /proc, like bench/cpu.py)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:13])
    return total / os.sysconf("SC_CLK_TCK")


def our_processes(stack: Stack) -> dict[str, list[int]]:
    """The gunicorn master and workers of this run, and the PostgreSQL backends serving bench_catalog.

    Other people's processes on the machine are left out, so CPU per request stays ours even when
    the wall-clock figures suffer from their load.
    """
    master = stack.processes["gateway"].pid
    workers = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                    workers.append(int(entry.name))
            except OSError:
                continue
    with psycopg.connect(DSN) as conn:
        backends = [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (DATABASE,))]
    return {"gateway": [master, *workers], "postgres": backends}


def measure(url: str, duration: int, connections: int, token: str, script: str, stack: Stack) -> dict:
    processes = our_processes(stack)
    before = {name: cpu_seconds(pids) for name, pids in processes.items()}
    output = wrk(url, script, duration, connections, token=token)
    used = {name: cpu_seconds(pids) - before[name] for name, pids in processes.items()}
    figures = parse_wrk(output)
    requests = max(1, int(re.search(r"(\d+) requests in", output).group(1)))
    figures |= {f"cpu_{name}": seconds * 1000 / requests for name, seconds in used.items()}
    p50, p95, p99 = (int(v) / 1000 for v in re.search(r"PERCENTILES (\d+) (\d+) (\d+)", output).groups())
    return {**figures, "p50": p50, "p95": p95, "p99": p99}


def median_round(rounds: list[dict]) -> dict:
    """The round with the median p95, with the range of p95 over all rounds."""
    rounds = sorted(rounds, key=lambda r: r["p95"])
    middle = dict(rounds[len(rounds) // 2])
    middle["p95_range"] = (rounds[0]["p95"], rounds[-1]["p95"])
    middle["non_2xx"] = sum(r["non_2xx"] for r in rounds)
    return middle


def sign_in(stack: Stack) -> str:
    """A seeded user with registrations, so `applied` is true for some items."""
    response = stack.http.post("/api/auth/login", json={"username": "seeduser00001", "password": SEED_PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def run_load(args) -> tuple[list[tuple[str, str, dict]], dict]:
    env = {
        "DATABASE_URL": URL,
        "JWT_PRIVATE_KEY": generate_private_key_pem(),
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "4",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "RATE_LIMIT_PREFIX": "bench-catalog:ratelimit",
        **{k: v for k, v in os.environ.items() if k in TUNABLES},
    }
    stack = Stack(env)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        try:
            stack.start("gateway")
            token = sign_in(stack)
            load_before = os.getloadavg()[0]
            now = datetime.datetime.now(UTC)
            shapes = [(kind, *scenario) for kind in CATALOGS for scenario in scenarios(kind, now)]
            rounds = {(kind, label): [] for kind, label, _, _ in shapes}
            for number in range(args.rounds):  # rounds interleaved, so the VM's drift hits every shape alike
                for kind, label, path, signed_in in shapes:
                    url = stack.env["GATEWAY_URL"] + quote(path, safe="/?=&%")
                    bearer = token if signed_in else ""
                    if number == 0:
                        wrk(url, script.name, 1, args.connections, token=bearer)  # warm-up: caches and pools
                    figures = measure(url, args.duration, args.connections, bearer, script.name, stack)
                    rounds[kind, label].append(figures)
                    print(f"round {number + 1} {kind:8s} {label:45s} p95 {figures['p95']:6.1f} ms "
                          f"{figures['rps']:6.0f} req/s", flush=True)  # fmt: skip
            load_after = os.getloadavg()[0]
            walk = cursor_walk(stack, args.walk_pages)
        finally:
            stack.stop()
    results = [(kind, label, median_round(figures)) for (kind, label), figures in rounds.items()]
    return results, {**walk, "env": stack.env, "load": (load_before, load_after)}


def cursor_walk(stack: Stack, pages: int) -> dict:
    """One client follows next_cursor through `pages` pages: is page N as fast as page 1?"""
    times, path = [], "/api/tests"
    for _ in range(pages):
        started = time.perf_counter()
        body = stack.http.get(path).json()
        times.append((time.perf_counter() - started) * 1000)
        path = f"/api/tests?cursor={body['next_cursor']}"
    return {"pages": pages, "first": statistics.median(times[:20]), "last": statistics.median(times[-20:])}


PLAN_CASES = [
    ("first page, sort=created", Listing()),
    ("first page, sort=popular", Listing(sort="popular", order="desc")),
    ("first page, sort=price", Listing(sort="price", order="asc")),
    ("first page, sort=start_at", Listing(sort="start_at", order="asc")),
    ("status=available", Listing(filters=Filters(available=True))),
    ("status=available, sort=start_at asc (GiST, KNN)", Listing(Filters(available=True), "start_at", "asc")),
    ("status=available, sort=popular asc (the two popularity GiST indexes)",
     Listing(Filters(available=True), "popular", "asc")),
    ("title search q=python", Listing(filters=Filters(q="python"))),
    ("title search q=정보처리기사", Listing(filters=Filters(q="정보처리기사"))),
    ("price 10,000-50,000", Listing(filters=Filters(min_price=10_000, max_price=50_000))),
]  # fmt: skip
MATRIX_FILTERS = [
    ("none", Filters()),
    ("available", Filters(available=True)),
    ("price 10k-50k", Filters(min_price=10_000, max_price=50_000)),
    ("start ±15 days", "around"),  # built around now
    ("start in the next 7 days", "next week"),
    ("available + price 10k-50k", Filters(available=True, min_price=10_000, max_price=50_000)),
    ("q=python", Filters(q="python")),
    ("q=정보처리기사", Filters(q="정보처리기사")),
    ("available + q=python", Filters(available=True, q="python")),
]
MATRIX_SORTS = [(s, o) for s in ("created", "popular", "price", "start_at") for o in ("desc", "asc")]
SORT_KEYS = {"created": "created_at", "popular": "registration_count", "price": "price", "start_at": "start_at"}


def explain(conn: psycopg.Connection, query, params: dict) -> tuple[str, float]:
    """The plan text and execution milliseconds of a query as the service runs it (second run: warm caches)."""
    compiled = query.compile(dialect=postgresql.psycopg.dialect())
    sql, params = f"EXPLAIN (ANALYZE, BUFFERS) {compiled}", {**compiled.params, **params}
    conn.execute(sql, params)
    lines = [row[0] for row in conn.execute(sql, params)]
    return "\n".join(lines), float(re.search(r"Execution Time: ([\d.]+)", lines[-1]).group(1))


def plans() -> list[tuple[str, str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of the queries behind the main requests, on tests."""
    tests, now = CATALOGS["tests"], datetime.datetime.now(UTC)
    deep = Listing(page=None, cursor=Cursor.decode(deep_cursor("tests")))
    cases = [*PLAN_CASES[:4], (f"deep page: cursor at row {DEEP_POSITION:,}", deep), *PLAN_CASES[4:]]
    out = []
    with psycopg.connect(DSN, autocommit=True) as conn:
        for title, listing in cases:
            out.append((title, explain(conn, *page_query(tests, listing, now))[0]))
        past = Listing(
            Filters(available=True), "popular", "asc", page=None, cursor=Cursor.decode(window_cursor("tests", now))
        )
        out.append((f"status=available, popular asc, past a cursor at row {DEEP_WINDOW_POSITION:,}",
                    explain(conn, *page_query(tests, past, now))[0]))  # fmt: skip
        (user_id,) = conn.execute("SELECT id FROM users WHERE username = 'seeduser00001'").fetchone()
        signed_in = explain(conn, *page_query(tests, Listing(), now, user_id))[0]
        out.append(("first page, signed in (the applied flags in the same query)", signed_in))
    return out


def matrix(deep: bool = False) -> dict[str, list[list[str]]]:
    """Execution ms of the page query alone for every filter x sort x order (no concurrency): the first page,
    or (`deep`) the page after a cursor at row DEEP_WINDOW_POSITION of that filter's order."""
    now = datetime.datetime.now(UTC)
    built = {
        "around": Filters(starts_after=now - timedelta(days=15), starts_before=now + timedelta(days=15)),
        "next week": Filters(starts_after=now, starts_before=now + timedelta(days=7)),
    }
    tables = {}
    with psycopg.connect(DSN, autocommit=True) as conn:
        conn.execute("SET statement_timeout = '5s'")
        for kind, catalog in CATALOGS.items():
            rows = []
            for label, filters in MATRIX_FILTERS:
                filters, cells = built.get(filters, filters), [label]
                for sort, order in MATRIX_SORTS:
                    listing = Listing(filters=filters, sort=sort, order=order)
                    try:
                        if deep:
                            listing = _deep(conn, catalog, listing, now)
                        cells.append(f"{explain(conn, *page_query(catalog, listing, now))[1]:.1f}" if listing else "-")
                    except psycopg.errors.QueryCanceled:
                        cells.append("> 5000")
                rows.append(cells)
            tables[kind] = rows
    return tables


def _deep(conn: psycopg.Connection, catalog, listing: Listing, now: datetime.datetime) -> Listing | None:
    """The listing past a cursor at row DEEP_WINDOW_POSITION of its own order, or at row 1,000 or 100 of one
    that matches fewer (None below that)."""
    for number in (DEEP_WINDOW_POSITION, 1_000, 100):
        query, params = page_query(catalog, Listing(listing.filters, listing.sort, listing.order, 1, number + 1), now)
        compiled = query.compile(dialect=postgresql.psycopg.dialect())
        row = conn.execute(str(compiled), {**compiled.params, **params}).fetchone()
        if row is not None:
            break
    else:
        return None
    key = row[("id", "title", "description", "price", "start_at", "end_at", "registration_count", "created_at",
               "updated_at").index(SORT_KEYS[listing.sort])]  # fmt: skip
    key = key.replace(tzinfo=UTC) if isinstance(key, datetime.datetime) else key  # read as UTC without a zone
    return Listing(listing.filters, listing.sort, listing.order, page=None, cursor=Cursor(listing.sort, listing.order,
                   key, row[0]))  # fmt: skip


def figures(results) -> list[Figure]:
    """How many request kinds meet p95 < 50 ms, and the slowest of each catalog, for the page's table."""
    met = [f["p95"] < TARGET_P95_MS and not f["non_2xx"] for _, _, f in results]
    rows = [
        Figure(
            "catalog reads at concurrency 16 (1M exams, 1M courses): request kinds with p95 under target",
            f"all, p95 < {TARGET_P95_MS} ms",
            f"{sum(met)} of {len(met)}",
            all(met),
        )
    ]
    for kind in dict.fromkeys(kind for kind, _, _ in results):
        label, worst = max(((label, f) for k, label, f in results if k == kind), key=lambda item: item[1]["p95"])
        rows.append(
            Figure(
                f"catalog reads, the slowest for `{kind}`: {label}, p95",
                f"< {TARGET_P95_MS} ms",
                f"{worst['p95']:.1f} ms",
                worst["p95"] < TARGET_P95_MS,
            )
        )
    return rows


def report(args, results, extra, seeded: float | None, plan_texts, timings, deep_timings) -> str:
    knobs = ", ".join(f"{k}={extra['env'][k]}" for k in sorted(TUNABLES) if k in extra["env"]) or "defaults"
    with psycopg.connect(DSN) as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM tests), (SELECT count(*) FROM courses), (SELECT count(*) FROM users), "
            "(SELECT count(*) FROM test_registrations) + (SELECT count(*) FROM course_registrations), "
            "(SELECT count(*) FROM tests WHERE now() BETWEEN start_at AND end_at), "
            "(SELECT count(*) FROM courses WHERE now() BETWEEN start_at AND end_at)"
        ).fetchone()
    seed_line = (
        f"seeded by this run in {seeded:.1f} s" if seeded else "seeded by an earlier run; `make seed` prints its time"
    )
    rows = "\n".join(
        f"| {kind} | {label} | {f['p50']:.1f} | **{f['p95']:.1f}** ({f['p95_range'][0]:.0f}-{f['p95_range'][1]:.0f}) "
        f"| {f['p99']:.1f} | {f['rps']:.0f} | {f['cpu_gateway']:.2f} + {f['cpu_postgres']:.2f} | {f['non_2xx']} "
        f"| {'yes' if f['p95'] < TARGET_P95_MS and not f['non_2xx'] else '**no**'} |"
        for kind, label, f in results
    )
    header = "| filter | " + " | ".join(f"{s} {o}" for s, o in MATRIX_SORTS) + " |"
    rule = "| --- " * (len(MATRIX_SORTS) + 1) + "|"

    def grids_of(tables):
        return "\n\n".join(
            f"`{kind}`, ms:\n\n{header}\n{rule}\n" + "\n".join("| " + " | ".join(cells) + " |" for cells in rows)
            for kind, rows in tables.items()
        )

    grids, deep_grids = grids_of(timings), grids_of(deep_timings)
    target = f"{TARGET_P95_MS} ms"
    plan_blocks = "\n\n".join(f"**{title}**\n\n```\n{text}\n```" for title, text in plan_texts)
    command = (
        f"python -m bench.catalog --duration {args.duration} --connections {args.connections} --rounds {args.rounds}"
    )
    return f"""
## Catalog reads (issue 4), {datetime.date.today().isoformat()}

- Command: `make bench-catalog` (`{command}`)
- Machine: {machine()}
- Data: database `{DATABASE}` ({seed_line}): {counts[0]:,} exams, {counts[1]:,} courses, {counts[2]:,} users,
  {counts[3]:,} registrations; open now: {counts[4]:,} exams, {counts[5]:,} courses.
- Stack: gunicorn gateway alone (settings: {knobs}); wrk, {args.connections} connections; per row the median
  (by p95) of {args.rounds} rounds of {args.duration} s, rounds interleaved across rows, after a 1 s warm-up;
  anonymous unless stated. Page size 20. "CPU ms" is per request, from /proc, of this run's gunicorn
  processes and of the PostgreSQL backends serving `{DATABASE}` only: the one figure that other load on the
  machine does not distort ({os.cpu_count()} cores give {os.cpu_count() * 1000:,} CPU-ms a second). Load
  average (1 min) when the load runs began and ended: {extra["load"][0]:.1f} and {extra["load"][1]:.1f}.

| catalog | request | p50 ms | p95 ms (rounds) | p99 ms | req/s | CPU ms: gateway + PG | non-2xx | p95 < {target} |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
{rows}

One client following `next_cursor` through {extra["pages"]} pages of exams: median
{extra["first"]:.1f} ms for pages 1-20, {extra["last"]:.1f} ms for the last 20 (keyset: no OFFSET).

### The page query alone, every filter x sort x order

EXPLAIN ANALYZE execution time of the page query (21 rows), one at a time, warm cache.

{grids}

### The same, past a cursor deep in each filter's order

Keyset pages deep in each order (with a window filter: the GiST KNN page after the cursor's ties); at row
1,000 or 100 where a filter matches fewer than {DEEP_WINDOW_POSITION:,} rows.

{deep_grids}

### Plans

<details><summary>EXPLAIN (ANALYZE, BUFFERS) of the main queries on `tests`</summary>

{plan_blocks}

</details>
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per request shape")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="rounds per request shape; the median is reported")
    parser.add_argument("--walk-pages", type=int, default=500, help="pages the sequential cursor walk follows")
    output_arguments(parser)
    args = parser.parse_args()
    seeded = ensure_seeded()
    results, extra = run_load(args)
    section = report(args, results, extra, seeded, plans(), matrix(), matrix(deep=True))
    publish(args, "bench-catalog", figures(results), section, machine())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
