"""`make bench`: POST /api/jobs throughput and latency, and end-to-end jobs/s, on the whole stack.

Each run gets its own database and RabbitMQ vhost (dropped afterwards), starts
the real processes (gunicorn gateway, outbox relay, llm-worker with the offline
provider) and drives them with wrk from this machine.
"""

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests/e2e"))
from e2e_stack import Stack, wait_until  # noqa: E402

from bench.auth import auth_path  # noqa: E402
from bench.cpu import CpuMeter  # noqa: E402
from bench.report import Figure, output_arguments, publish  # noqa: E402
from gateway.accounts.tokens import generate_private_key_pem  # noqa: E402
from gateway.settings import GatewaySettings  # noqa: E402
from llm_worker.settings import WorkerSettings  # noqa: E402
from shared.amqp.topology import ensure_declared  # noqa: E402
from shared.webhooks import generate_secret  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
POST_ROUNDS = 3
WORKER_NICE_DEFAULT = WorkerSettings.model_fields["worker_nice"].default
TUNABLES = {
    "WEB_CONCURRENCY",
    "GUNICORN_WORKER_CLASS",
    "GUNICORN_THREADS",
    "PREFETCH",
    "HANDLER_THREADS",
    "WORKER_NICE",
    "WEBHOOK_BATCH_SIZE",
    "WEBHOOK_LINGER_MS",
    "OUTBOX_BATCH_SIZE",
    "OUTBOX_GATHER_MS",
    "DB_POOL_SIZE",
}


def sh(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def wrk(url: str, script: str, duration: int, connections: int, threads: int = 2, token: str = "") -> str:
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "-s",
        str(ROOT / "bench" / script),
        url,
    ]
    env = {**os.environ, "BENCH_TOKEN": token}
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout


def parse_wrk(output: str) -> dict:
    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50": ms("50%"),
        "p90": ms("90%"),
        "p99": ms("99%"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


class BenchEnvironment:
    """A database and a vhost of the benchmark's own."""

    def __init__(self):
        run = uuid.uuid4().hex[:8]
        self.db = f"bench_{run}"
        self.vhost = f"bench-{run}"

    def __enter__(self) -> "BenchEnvironment":
        from gateway.migrate import upgrade

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db}"')
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.db}"
        upgrade(self.url)
        sh("rabbitmqctl", "-q", "add_vhost", self.vhost)
        sh("rabbitmqctl", "-q", "set_permissions", "-p", self.vhost, "guest", ".*", ".*", ".*")
        amqp = f"amqp://guest:guest@127.0.0.1:5672/{self.vhost}"
        ensure_declared(amqp, [1000, 5000, 30000], "bench")
        secret = generate_secret()
        self.stack_env = {
            "DATABASE_URL": self.url,
            "AMQP_URL": amqp,
            "JOBS_WEBHOOK_SECRETS": secret,
            "JOBS_WEBHOOK_SECRET": secret,
            "JWT_PRIVATE_KEY": generate_private_key_pem(),
            "RATE_LIMIT_PREFIX": f"bench-{self.vhost}:ratelimit",
            "LLM_PROVIDER": "local",
            "LOG_LEVEL": "WARNING",
            "MEMO_PREFIX": f"bench-{self.vhost}",
            "WEB_CONCURRENCY": "4",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            **{k: v for k, v in os.environ.items() if k in TUNABLES},
        }
        return self

    def __exit__(self, *exc):
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
        sh("rabbitmqctl", "-q", "delete_vhost", self.vhost)

    def query(self, sql: str):
        with psycopg.connect(self.url.replace("+psycopg", "")) as conn:
            return conn.execute(sql).fetchone()


def settle(env: BenchEnvironment, timeout: float = 300) -> None:
    """Wait until every job is finished, then empty the tables."""
    wait_until(
        lambda: env.query("SELECT count(*) FROM jobs WHERE status NOT IN ('completed','failed')")[0] == 0, timeout, 0.5
    )
    env.query("SELECT 1")
    with psycopg.connect(env.url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("TRUNCATE jobs, job_steps, outbox, webhook_receipts")


def post_benchmark(stack: Stack, env: BenchEnvironment, duration: int, connections: int) -> dict:
    """Anonymous and signed-in rounds, interleaved so the VM's drift hits both alike: the median of each."""
    url = f"{stack.env['GATEWAY_URL']}/api/jobs"
    stack.sign_in()
    token = stack.http.headers["Authorization"].removeprefix("Bearer ")
    wrk(url, "post_job.lua", 3, connections)  # warm-up
    settle(env)
    runs = {"anonymous": [], "signed in": []}
    for _ in range(POST_ROUNDS):
        for kind, bearer in (("anonymous", ""), ("signed in", token)):
            runs[kind].append(parse_wrk(wrk(url, "post_job.lua", duration, connections, token=bearer)))
            settle(env)
    return {kind: _median_round(rounds) for kind, rounds in runs.items()}


def _median_round(runs: list[dict]) -> dict:
    runs = sorted(runs, key=lambda r: r["rps"])
    median = dict(runs[len(runs) // 2])
    median["rps_range"] = (runs[0]["rps"], runs[-1]["rps"])
    median["non_2xx"] = sum(r["non_2xx"] for r in runs)
    return median


def end_to_end_benchmark(stack: Stack, env: BenchEnvironment, duration: int, connections: int) -> dict:
    """Post jobs flat out for `duration` seconds, then time first POST to last job finished."""
    url = f"{stack.env['GATEWAY_URL']}/api/jobs"
    unfinished = "SELECT count(*) FROM jobs WHERE status NOT IN ('completed', 'failed')"
    with CpuMeter(env.db) as cpu:
        wrk(url, "post_job.lua", duration, connections)
        done = wait_until(lambda: env.query(unfinished)[0] == 0, 600, 0.2)
    assert done, "jobs did not finish"
    total, completed, first, last = env.query(
        "SELECT count(*), count(*) FILTER (WHERE status = 'completed'), min(created_at), max(updated_at) FROM jobs"
    )
    seconds = (last - first).total_seconds()
    latency = env.query(
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - created_at)), "
        "percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - created_at)) FROM jobs"
    )
    settle(env)
    return {
        "jobs": total,
        "completed": completed,
        "seconds": seconds,
        "jobs_per_s": total / seconds,
        "job_p50_ms": latency[0] * 1000,
        "job_p99_ms": latency[1] * 1000,
        "cpu_ms_per_job": cpu.per_job_ms(total),
    }


def machine() -> str:
    cpu = re.search(r"model name\s+:\s+(.*)", Path("/proc/cpuinfo").read_text())
    mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024 // 1024
    pg = re.search(r"\(PostgreSQL\) (\S+)", sh("psql", "--version")).group(1)
    rabbit = re.search(r"RabbitMQ version: (\S+)", sh("rabbitmqctl", "status")).group(1)
    return (
        f"{os.cpu_count()} cores ({cpu.group(1) if cpu else 'unknown CPU'}), {mem} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
        f"PostgreSQL {pg}, RabbitMQ {rabbit}"
    )


def run(args) -> tuple[dict, dict, dict]:
    with BenchEnvironment() as env:
        auth = auth_path(
            GatewaySettings(_env_file=None, database_url=env.url, jwt_private_key=env.stack_env["JWT_PRIVATE_KEY"])
        )
        stack = Stack(env.stack_env)
        try:
            stack.start("gateway")
            for name in ("relay", "llm-worker"):
                stack.start(name)
            post = post_benchmark(stack, env, args.duration, args.connections)
            e2e = end_to_end_benchmark(stack, env, args.e2e_duration, args.connections)
        finally:
            stack.stop()
        post["auth"] = auth
        return post, e2e, stack.env


def figures(post: dict, e2e: dict) -> list[Figure]:
    """The run's figures for the page's table, against the targets of issues 2 and 3."""
    rows = []
    for kind in ("anonymous", "signed in"):
        f = post[kind]
        rounds = "-".join(f"{rps:,.0f}" for rps in f["rps_range"])
        rps = Figure(
            f"POST /api/jobs {kind}, req/s at concurrency 16",
            ">= 1,000",
            f"**{f['rps']:,.0f}** ({rounds})",
            f["rps"] >= 1000,
        )
        p99 = Figure(f"POST /api/jobs {kind}, p99", "<= 25 ms", f"**{f['p99']:.1f} ms**", f["p99"] <= 25)
        rows += [rps, p99]
    auth, first, jobs = post["auth"]["p50"], post["auth"]["first_p50"], e2e["jobs_per_s"]
    rows.append(
        Figure(
            "authenticating a request (claims + revocation lookup; RS256 once per token), p50",
            "< 2 ms",
            f"{auth:.2f} ms (a token's first request: {first:.2f} ms)",
            max(auth, first) < 2,
        )
    )
    rows.append(
        Figure("end to end, first POST to last job finished", ">= 700 jobs/s", f"**{jobs:,.0f} jobs/s**", jobs >= 700)
    )
    return rows


def report(args, post: dict, e2e: dict, env: dict) -> str:
    knobs = ", ".join(f"{k}={env[k]}" for k in sorted(TUNABLES) if k in env) or "defaults"
    command = (
        f"python -m bench.run --duration {args.duration} --connections {args.connections} "
        f"--e2e-duration {args.e2e_duration}"
    )
    nice = f"llm-worker at nice {env.get('WORKER_NICE', WORKER_NICE_DEFAULT)}"
    rows = []
    auth = post["auth"]
    for kind, median in ((k, v) for k, v in post.items() if k != "auth"):
        low, high = median["rps_range"]
        rows += [
            (
                f"POST /api/jobs {kind}, concurrency {args.connections}, median of {POST_ROUNDS} rounds of "
                f"{args.duration} s",
                f"**{median['rps']:.0f} requests/s** (rounds: {low:.0f}-{high:.0f})",
                ">= 1,000",
            ),
            (
                f"POST /api/jobs {kind}, latency p50 / p90 / p99 (the median round)",
                f"{median['p50']:.1f} / {median['p90']:.1f} / **{median['p99']:.1f} ms**",
                "p99 <= 25 ms",
            ),
            (f"POST /api/jobs {kind}, non-2xx answers", str(median["non_2xx"]), "0"),
        ]
    rows += [
        (
            "authenticating a request (claims check + revocation lookup in PostgreSQL; a token's RS256 signature "
            "is verified once per worker), in-process, 3,000 calls; then 500 tokens each met for the first time",
            f"**p50 {auth['p50']:.2f} ms**, p99 {auth['p99']:.2f} ms; {auth['cpu']:.2f} ms CPU per call; "
            f"first time: p50 {auth['first_p50']:.2f} ms, {auth['first_cpu']:.2f} ms CPU",
            "p50 < 2 ms",
        ),
        (
            "end to end, first POST to last job finished",
            f"**{e2e['jobs_per_s']:.0f} jobs/s** "
            f"({e2e['completed']}/{e2e['jobs']} completed in {e2e['seconds']:.1f} s)",
            ">= 700",
        ),
        (
            "one job, created to completed, p50 / p99 (in that burst)",
            f"{e2e['job_p50_ms']:.0f} / {e2e['job_p99_ms']:.0f} ms",
            "",
        ),
    ]
    table = "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    cpu = e2e["cpu_ms_per_job"]
    cpu_rows = "\n".join(f"| {name} | {ms:.2f} |" for name, ms in sorted(cpu.items(), key=lambda kv: -kv[1]))
    return f"""
## GPT jobs: POST /api/jobs and end to end (issues 2 and 3), {datetime.date.today().isoformat()}, {nice}

- Command: `make bench` (`{command}`)
- Machine: {machine()}
- Stack: gunicorn gateway, outbox relay and llm-worker (offline `local` provider) running throughout;
  settings: {knobs}.

| measurement | result | target |
| --- | --- | --- |
{table}

CPU per job during the end-to-end run (all processes of each component, from /proc; 2 cores = 2,000 ms/s):

| component | CPU ms per job |
| --- | --- |
{cpu_rows}
| **total** | **{sum(cpu.values()):.2f}** |
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per POST round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--e2e-duration", type=int, default=15, help="seconds of posting in the end-to-end run")
    output_arguments(parser)
    args = parser.parse_args()
    post, e2e, env = run(args)
    measured = figures(post, e2e)
    publish(args, "bench", measured, report(args, post, e2e, env), machine())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
