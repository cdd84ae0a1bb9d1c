"""`make bench-studio`: the style studio's community reads at concurrency 16 on 100,000 generations.

The data lives in the database `bench_studio` (`make seed-studio`), kept between runs: the first run
creates, migrates and seeds it; later runs migrate and reuse it (`python -m bench.seed_studio --reset`
to reseed). A gunicorn gateway is started on it as bench/catalog.py does, every request shape is checked
once (200 and a non-empty answer), then wrk measures each shape in interleaved rounds.
"""

import argparse
import datetime
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg

from bench.catalog import WRK_SCRIPT, cpu_seconds, median_round
from bench.report import Figure, output_arguments, publish
from bench.run import ROOT, TUNABLES, machine, parse_wrk, wrk
from bench.seed_catalog import SEED_PASSWORD
from bench.seed_studio import DATABASE, TABLES, prepare, seed
from bench.studio_plans import DEEP_POSITION, DSN, URL, facts
from gateway.accounts.tokens import generate_private_key_pem
from gateway.migrate import upgrade

sys.path.insert(0, str(ROOT / "tests/e2e"))
from e2e_stack import Stack

TARGET_P95_MS = 30


def ensure_seeded() -> float | None:
    """Migrate bench_studio, seeding it first if it holds no studio; the seed's seconds if it ran."""
    if not prepare(URL, reset=False):
        upgrade(URL)
        return None
    print(f"seeding {DATABASE} (once; later runs reuse it)...", flush=True)
    started = time.perf_counter()
    counts = seed(URL)
    seconds = time.perf_counter() - started
    print(", ".join(f"{count:,} {table}" for table, count in counts.items()) + f" in {seconds:.1f} s", flush=True)
    return seconds


def scenarios(f: dict) -> list[tuple[str, str, bool]]:
    """(label, path and query, signed in); the words match seeded names and tags (bench.seed_studio_words)."""
    feed = "/api/generations/feed"
    return [
        ("feed, first page", feed, False),
        ("feed, first page, signed in (liked_by_me)", feed, True),
        (f"feed, cursor at row {DEEP_POSITION:,}", f"{feed}?cursor={f['deep']}", False),
        ("feed of the most used style", f"{feed}?style_id={f['style']}", False),
        ("search styles: watercolor", "/api/search?q=watercolor&type=styles", False),
        ("search all: 수채화", "/api/search?q=수채화&type=all", False),
        ("search all: 수채화 항구 (two words)", "/api/search?q=수채화 항구", False),
        ("search all: 숲 (one character)", "/api/search?q=숲", False),
        ("search artists: kim", "/api/search?q=kim&type=artists", False),
        ("styles, sort=popular", "/api/styles?sort=popular", False),
        ("styles, tag=수채화", "/api/styles?tag=수채화", False),
        ("profile of the most followed artist", f"/api/users/{f['star']}", False),
        ("comments on the most commented image", f"/api/generations/{f['hot']}/comments", False),
    ]


def found(body: dict) -> int | None:
    """How many items a page answered (search: both sections); None for a single object."""
    pages = [body, body.get("styles"), body.get("artists")]
    lists = [page["items"] for page in pages if isinstance(page, dict) and "items" in page]
    return sum(map(len, lists)) if lists else None


def precheck(stack: Stack, shapes: list[tuple[str, str, str]]) -> None:
    """Every shape answers 200 with something in it, or the run stops before any load."""
    for label, url, bearer in shapes:
        answer = stack.http.get(url, headers={"Authorization": f"Bearer {bearer}"} if bearer else {})
        items = found(answer.json()) if answer.status_code == 200 else 0
        if answer.status_code != 200 or items == 0:
            raise SystemExit(f"pre-check failed: {label}: GET {url} -> {answer.status_code} {answer.text[:500]}")
        print(f"pre-check {label:45s} 200, {'one object' if items is None else f'{items} items'}", flush=True)


def serving_processes(master: int, database: str) -> dict[str, list[int]]:
    """The gunicorn master and its workers, and the PostgreSQL backends serving `database`."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    with psycopg.connect(DSN) as conn:  # this connection's own backend is gone by the end: left out
        query = "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        backends = [row[0] for row in conn.execute(query, (database,))]
    return {"gateway": [master, *map(int, children)], "postgres": backends}


def measure(url: str, args, bearer: str, script: str, master: int) -> dict:
    """wrk's figures for one round, with this run's CPU ms per request (gateway and PG)."""
    processes = serving_processes(master, DATABASE)
    before = {name: cpu_seconds(pids) for name, pids in processes.items()}
    output = wrk(url, script, args.duration, args.connections, token=bearer)
    requests = max(1, int(re.search(r"(\d+) requests in", output).group(1)))
    figures = parse_wrk(output) | {
        f"cpu_{name}": (cpu_seconds(pids) - before[name]) * 1000 / requests for name, pids in processes.items()
    }
    p50, p95, p99 = (int(v) / 1000 for v in re.search(r"PERCENTILES (\d+) (\d+) (\d+)", output).groups())
    return {**figures, "p50": p50, "p95": p95, "p99": p99}


def run_load(args) -> tuple[list[tuple[str, dict]], dict]:
    env = {
        "DATABASE_URL": URL,
        "JWT_PRIVATE_KEY": generate_private_key_pem(),
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "4",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "RATE_LIMIT_PREFIX": "bench-studio:ratelimit",
        **{k: v for k, v in os.environ.items() if k in TUNABLES},
    }
    with psycopg.connect(DSN) as conn:
        f = facts(conn)
    stack = Stack(env)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        try:
            stack.start("gateway")
            login = stack.http.post("/api/auth/login", json={"username": f["viewer"], "password": SEED_PASSWORD})
            assert login.status_code == 200, login.text
            token = login.json()["access_token"]
            shapes = [
                (label, stack.env["GATEWAY_URL"] + quote(path, safe="/?=&%"), token if signed_in else "")
                for label, path, signed_in in scenarios(f)
                if args.only is None or args.only in label
            ]
            precheck(stack, shapes)
            master, load_before = stack.processes["gateway"].pid, os.getloadavg()[0]
            rounds = {label: [] for label, _, _ in shapes}
            for number in range(args.rounds):  # rounds interleaved, so the VM's drift hits every shape alike
                for label, url, bearer in shapes:
                    if number == 0:
                        wrk(url, script.name, 1, args.connections, token=bearer)  # warm-up: caches and pools
                    figures = measure(url, args, bearer, script.name, master)
                    rounds[label].append(figures)
                    print(f"round {number + 1} {label:45s} p95 {figures['p95']:6.1f} ms "
                          f"{figures['rps']:6.0f} req/s", flush=True)  # fmt: skip
            load_after = os.getloadavg()[0]
        finally:
            stack.stop()
    results = [(label, median_round(figures)) for label, figures in rounds.items()]
    return results, {"env": stack.env, "load": (load_before, load_after)}


def data_sizes() -> str:
    with psycopg.connect(DSN) as conn:
        counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}
        feed, listed = conn.execute(
            "SELECT (SELECT count(*) FROM generations WHERE status = 'completed' AND is_public), "
            "(SELECT count(*) FROM styles WHERE status = 'completed' AND visibility = 'public' AND deleted_at IS NULL)"
        ).fetchone()
    tables = ", ".join(f"{count:,} {table}" for table, count in counts.items())
    return f"{tables}; in the feed: {feed:,} generations; listed: {listed:,} styles"


def figures(results) -> list[Figure]:
    """One row per request kind for the page's table, against p95 < 30 ms."""
    return [
        Figure(f"studio at concurrency 16, p95: {label}", f"< {TARGET_P95_MS} ms", f"{f['p95']:.1f} ms", met(f))
        for label, f in results
    ]


def met(f: dict) -> bool:
    """p95 under the target and every answer a 2xx."""
    return f["p95"] < TARGET_P95_MS and not f["non_2xx"]


def report(args, results, extra, seeded: float | None) -> str:
    knobs = ", ".join(f"{k}={extra['env'][k]}" for k in sorted(TUNABLES) if k in extra["env"]) or "defaults"
    seed_line = f"seeded by this run in {seeded:.1f} s" if seeded else "seeded by an earlier run"
    rows = "\n".join(
        f"| {label} | {f['p50']:.1f} | **{f['p95']:.1f}** ({f['p95_range'][0]:.0f}-{f['p95_range'][1]:.0f}) "
        f"| {f['p99']:.1f} | {f['rps']:.0f} | {f['cpu_gateway']:.2f} + {f['cpu_postgres']:.2f} | {f['non_2xx']} "
        f"| {'yes' if met(f) else '**no**'} |"
        for label, f in results
    )
    command = (
        "python -m bench.studio "
        + f"--duration {args.duration} --connections {args.connections} --rounds {args.rounds}"
    )
    return f"""
## Style studio reads (issue 6), {datetime.date.today().isoformat()}

- Command: `make bench-studio` (`{command}`)
- Machine: {machine()}
- Data: database `{DATABASE}` ({seed_line}): {data_sizes()}.
- Stack: gunicorn gateway alone (settings: {knobs}); wrk, {args.connections} connections; per row the median
  (by p95) of {args.rounds} rounds of {args.duration} s, rounds interleaved across rows, after a 1 s warm-up;
  anonymous unless stated; each request checked once for a 200 with items before the load. Page size 20.
  "CPU ms" is per request, from /proc, of this run's gunicorn processes and of the PostgreSQL backends serving
  `{DATABASE}` only ({os.cpu_count()} cores give {os.cpu_count() * 1000:,} CPU-ms a second). Load average
  (1 min) when the load runs began and ended: {extra["load"][0]:.1f} and {extra["load"][1]:.1f}.

| request | p50 ms | p95 ms (rounds) | p99 ms | req/s | CPU ms: gateway + PG | non-2xx | p95 < {TARGET_P95_MS} ms |
| --- | --- | --- | --- | --- | --- | --- | --- |
{rows}
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per request shape")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="rounds per request shape; the median is reported")
    output_arguments(parser)
    parser.add_argument("--only", help="measure only the request shapes whose label holds this (implies --no-write)")
    args = parser.parse_args()
    seeded = ensure_seeded()
    results, extra = run_load(args)
    section = report(args, results, extra, seeded)
    publish(args, "bench-studio", figures(results), section, machine(), write=args.only is None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
