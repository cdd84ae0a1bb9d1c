"""`make bench-careers`: résumé and posting reads at concurrency 16 on 100,000 of each, and AI feedback end to end.

The reads run on the database `bench_careers` (`make seed-careers`), kept between runs: the first run creates,
migrates and seeds it; later runs migrate and reuse it. A gunicorn gateway is started on it as bench/studio.py
does, signed in as the seeded user with the most résumés; every read is checked once (200), then wrk measures
each in interleaved rounds, and the statements behind each read are explained (bench/careers_plans.py). The
feedback flow runs on a database and vhost of its own (bench/careers_feedback.py).
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

from bench.careers_feedback import FLOW_TARGETS, feedback_figures, feedback_flow, feedback_report, start
from bench.careers_plans import DSN, URL, facts, plans, reads
from bench.catalog import WRK_SCRIPT, cpu_seconds, median_round
from bench.report import Figure, output_arguments, publish
from bench.run import ROOT, TUNABLES, machine, parse_wrk, wrk
from bench.seed_careers import DATABASE, TABLES, prepare, seed
from bench.seed_catalog import SEED_PASSWORD
from gateway.accounts.tokens import generate_private_key_pem
from gateway.migrate import upgrade

sys.path.insert(0, str(ROOT / "tests/e2e"))
from e2e_stack import Stack

ONE_TARGET_MS, LIST_TARGET_MS = 15, 20


def ensure_seeded() -> float | None:
    """Migrate bench_careers, seeding it first if it holds no résumés; the seed's seconds if it ran."""
    if not prepare(URL, reset=False, probe="resumes"):
        upgrade(URL)
        return None
    print(f"seeding {DATABASE} (once; later runs reuse it)...", flush=True)
    started = time.perf_counter()
    counts = seed(URL)
    seconds = time.perf_counter() - started
    print(", ".join(f"{count:,} {table}" for table, count in counts.items()) + f" in {seconds:.1f} s", flush=True)
    return seconds


def target_ms(label: str) -> int:
    return ONE_TARGET_MS if label.startswith("a résumé") else LIST_TARGET_MS


def serving_processes(master: int) -> dict[str, list[int]]:
    """The gunicorn master and its workers, and the PostgreSQL backends serving bench_careers."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    with psycopg.connect(DSN) as conn:
        query = "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        backends = [row[0] for row in conn.execute(query, (DATABASE,))]
    return {"gateway": [master, *map(int, children)], "postgres": backends}


def measure(url: str, args, bearer: str, script: str, master: int) -> dict:
    """wrk's figures for one round, with this run's CPU ms per request (gateway and PG)."""
    processes = serving_processes(master)
    before = {name: cpu_seconds(pids) for name, pids in processes.items()}
    output = wrk(url, script, args.duration, args.connections, token=bearer)
    requests = max(1, int(re.search(r"(\d+) requests in", output).group(1)))
    figures = parse_wrk(output) | {
        f"cpu_{name}": (cpu_seconds(pids) - before[name]) * 1000 / requests for name, pids in processes.items()
    }
    p50, p95, p99 = (int(v) / 1000 for v in re.search(r"PERCENTILES (\d+) (\d+) (\d+)", output).groups())
    return {**figures, "p50": p50, "p95": p95, "p99": p99}


def run_reads(args) -> tuple[list[tuple[str, dict]], dict]:
    env = {
        "DATABASE_URL": URL,
        "JWT_PRIVATE_KEY": generate_private_key_pem(),
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "4",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "RATE_LIMIT_PREFIX": "bench-careers:ratelimit",
        **{k: v for k, v in os.environ.items() if k in TUNABLES},
    }
    with psycopg.connect(DSN) as conn:
        f = facts(conn)
    stack = Stack(env)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        try:
            start(stack, "gateway")
            login = stack.http.post("/api/auth/login", json={"username": f["username"], "password": SEED_PASSWORD})
            assert login.status_code == 200, login.text
            token = login.json()["access_token"]
            shapes = [
                (label, stack.env["GATEWAY_URL"] + quote(path, safe="/?=&%"))
                for label, path, _ in reads(f)
                if args.only is None or args.only in label
            ]
            for label, url in shapes:  # every read answers 200, or the run stops before any load
                answer = stack.http.get(url, headers={"Authorization": f"Bearer {token}"})
                if answer.status_code != 200:
                    raise SystemExit(f"pre-check failed: {label}: {answer.status_code} {answer.text[:500]}")
            master, load_before = stack.processes["gateway"].pid, os.getloadavg()[0]
            rounds = {label: [] for label, _ in shapes}
            for number in range(args.rounds):  # rounds interleaved, so the VM's drift hits every read alike
                for label, url in shapes:
                    if number == 0:
                        wrk(url, script.name, 1, args.connections, token=token)  # warm-up: caches and pools
                    figures = measure(url, args, token, script.name, master)
                    rounds[label].append(figures)
                    print(f"round {number + 1} {label:50s} p95 {figures['p95']:6.1f} ms "
                          f"{figures['rps']:6.0f} req/s", flush=True)  # fmt: skip
            load_after = os.getloadavg()[0]
        finally:
            stack.stop()
    results = [(label, median_round(figures)) for label, figures in rounds.items()]
    return results, {"env": stack.env, "load": (load_before, load_after), "facts": f}


def met(label: str, f: dict) -> bool:
    """p95 under the read's target and every answer a 2xx."""
    return f["p95"] < target_ms(label) and not f["non_2xx"]


def read_figures(results) -> list[Figure]:
    return [
        Figure(
            f"careers at concurrency 16, p95: {label}", f"< {target_ms(label)} ms", f"{f['p95']:.1f} ms", met(label, f)
        )
        for label, f in results
    ]


def data_sizes() -> str:
    with psycopg.connect(DSN) as conn:
        counts = {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}
    return ", ".join(f"{count:,} {table}" for table, count in counts.items())


def reads_report(args, results, extra, seeded: float | None, plan_texts) -> str:
    knobs = ", ".join(f"{k}={extra['env'][k]}" for k in sorted(TUNABLES) if k in extra["env"]) or "defaults"
    seed_line = f"seeded by this run in {seeded:.1f} s" if seeded else "seeded by an earlier run"
    f = extra["facts"]
    rows = "\n".join(
        f"| {label} | {r['p50']:.1f} | **{r['p95']:.1f}** ({r['p95_range'][0]:.1f}-{r['p95_range'][1]:.1f}) "
        f"| {r['p99']:.1f} | {r['rps']:.0f} | {r['cpu_gateway']:.2f} + {r['cpu_postgres']:.2f} | {r['non_2xx']} "
        f"| < {target_ms(label)} ms: {'yes' if met(label, r) else '**no**'} |"
        for label, r in results
    )
    plan_blocks = "\n\n".join(f"**{title}**\n\n```\n{text}\n```" for title, text in plan_texts)
    return f"""
### Reads

- Data: database `{DATABASE}` ({seed_line}): {data_sizes()}. Signed in as `{f["username"]}`, the user with the
  most live résumés ({f["resumes"]:,}) and {f["postings"]:,} live postings.
- Stack: gunicorn gateway alone (settings: {knobs}); wrk, {args.connections} connections; per row the median
  (by p95) of {args.rounds} rounds of {args.duration} s, rounds interleaved across rows, after a 1 s warm-up. Lists:
  résumés 20 a page, postings 6. "CPU ms" is per request, from /proc, of this run's gunicorn processes and of the
  PostgreSQL backends serving `{DATABASE}` ({os.cpu_count()} cores give {os.cpu_count() * 1000:,} CPU-ms a
  second). Load average (1 min) when the load runs began and ended: {extra["load"][0]:.1f} and {extra["load"][1]:.1f}.

| request | p50 ms | p95 ms (rounds) | p99 ms | req/s | CPU ms: gateway + PG | non-2xx | target |
| --- | --- | --- | --- | --- | --- | --- | --- |
{rows}

<details><summary>EXPLAIN (ANALYZE, BUFFERS) of the statements behind each read (`make explain-careers`)</summary>

{plan_blocks}

</details>
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per read")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="rounds per read; the median is reported")
    parser.add_argument("--count", type=int, default=40, help="feedbacks timed one after another")
    parser.add_argument("--burst", type=int, default=15, help="seconds of posting feedbacks flat out")
    parser.add_argument("--skip-reads", action="store_true", help="the feedback flow only (implies --no-write)")
    parser.add_argument("--skip-flow", action="store_true", help="the reads only (implies --no-write)")
    output_arguments(parser)
    parser.add_argument("--only", help="measure only the reads whose label holds this (implies --no-write)")
    args = parser.parse_args()
    figures, sections = [], []
    if not args.skip_reads:
        seeded = ensure_seeded()
        results, extra = run_reads(args)
        figures += read_figures(results)
        sections.append(reads_report(args, results, extra, seeded, plans([label for label, _ in results])))
    if not args.skip_flow:
        flow = feedback_flow(args)
        figures += feedback_figures(flow)
        sections.append(feedback_report(args, flow))
    command = (
        f"python -m bench.careers --duration {args.duration} --connections {args.connections} "
        f"--rounds {args.rounds} --count {args.count} --burst {args.burst}"
    )
    section = f"""
## Careers: résumé and posting reads, AI feedback end to end (issue 19), {datetime.date.today().isoformat()}

- Command: `make bench-careers` (`{command}`)
- Machine: {machine()}
- Targets: a résumé with 10 items in every section p95 < {ONE_TARGET_MS} ms, the lists p95 < {LIST_TARGET_MS} ms,
  at concurrency 16; feedback with the offline provider, POST to `completed`, {FLOW_TARGETS}.
{"".join(sections)}"""
    whole = not (args.only or args.skip_reads or args.skip_flow)
    publish(args, "bench-careers", figures, section, machine(), write=whole)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
