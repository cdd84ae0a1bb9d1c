"""`make bench-classroom-activity`: learners' activity ingested, from POST /api/logs/batch to stored, in events/s.

On a database and a vhost of its own (dropped afterwards), with the real processes: gunicorn gateway, outbox
relay and activity consumer. A started session of a 7-step lecture and 64 learners joined by code; wrk posts
batches of 100 events (each naming the session's step, as the learners' apps do) with their participant tokens,
flat out at a concurrency that saturates the gateway, for --duration seconds, while the stored rows are counted
every half second. Figures per round: the rate stored while the load ran (the slope of the count after a warm-up),
the whole run's events over the time from the first POST to the last event stored, the consumer's lag when the
load stopped (events accepted and not yet stored, and stream messages after its offset) and how long it took to
drain. --rounds rounds on the same stack, back to back (the machine is noisy: each is reported).
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg

from bench.cpu import CpuMeter
from bench.report import Figure, output_arguments, publish
from bench.run import ROOT, BenchEnvironment, machine, parse_wrk, wrk
from gateway.platform.db import Database
from gateway.platform.stream_health import stream_health
from gateway.settings import GatewaySettings

sys.path.insert(0, str(ROOT / "tests/e2e"))
from e2e_stack import Stack, wait_until

TARGET = 5_000
BATCH = 100
LEARNERS = 64
WARM_UP_SECONDS = 5
STORED = "SELECT count(*) FROM activity_logs"
ACCEPTED = "SELECT count(*) FROM outbox WHERE message_type = 'ActivityLogged'"
BOTH = f"SELECT ({ACCEPTED}), ({STORED})"  # one snapshot: nothing stored between the two counts
POST_SCRIPT = """
local tokens = {%s}
local body = [[%s]]
local n = 0
request = function()
  n = n + 1
  local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[n %% #tokens + 1]}
  return wrk.format("POST", nil, headers, body)
end
"""


def seed_session(stack: Stack, dsn: str) -> tuple[str, list[str], list[str]]:
    """A started session of a lecture of 7 steps and LEARNERS devices joined by code: (session id, steps, tokens)."""
    instructor = stack.sign_in()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("UPDATE users SET roles = array_append(roles, 'instructor') WHERE id = %s", (instructor["id"],))
        lecture, task = uuid.uuid4(), uuid.uuid4()
        conn.execute(
            "INSERT INTO lectures (id, instructor_id, title, description, is_active, created_at, updated_at) "
            "VALUES (%s, %s, '카카오톡 사진 보내기', '', true, now(), now())",
            (lecture, instructor["id"]),
        )
        conn.execute(
            "INSERT INTO lecture_tasks (id, lecture_id, position, title, description, created_at, updated_at) "
            "VALUES (%s, %s, 0, '사진 보내기', '', now(), now())",
            (task, lecture),
        )
        steps = [str(uuid.uuid4()) for _ in range(7)]
        for position, step in enumerate(steps):
            conn.execute(
                "INSERT INTO lecture_steps (id, task_id, position, title, description, target_action, created_at, "
                "updated_at) VALUES (%s, %s, %s, %s, '', 'CLICK', now(), now())",
                (step, task, position, f"단계 {position + 1}"),
            )
    login = stack.http.post(
        "/api/auth/login", json={"username": instructor["username"], "password": "correct horse battery staple"}
    )
    stack.http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    session = stack.http.post(f"/api/lectures/{lecture}/sessions", json={"title": "벤치마크 수업"})
    assert session.status_code == 201, session.text
    session = session.json()
    assert stack.http.post(f"/api/sessions/{session['id']}/start", json={}).status_code == 200
    tokens = []
    for n in range(LEARNERS):
        joined = stack.http.post(
            "/api/sessions/join",
            json={"code": session["code"], "device_id": f"bench-{n}", "display_name": f"학습자{n}"},
        )
        assert joined.status_code == 201, joined.text
        tokens.append(joined.json()["participant_token"])
    return session["id"], steps, tokens


def batch_body(step: str) -> str:
    """A batch of BATCH events on the step, as a learner's app sends it (the server gives each its id)."""
    now = datetime.datetime.now(datetime.UTC)
    events = [
        {
            "event_type": ("VIEW_CLICKED", "VIEW_SCROLLED", "VIEW_TEXT_CHANGED", "WINDOW_STATE_CHANGED")[n % 4],
            "timestamp": (now - datetime.timedelta(milliseconds=(BATCH - n) * 300)).isoformat(),
            "subtask": step,
            "package": "com.kakao.talk",
            "screen": "ChatRoomActivity",
            "element": f"com.kakao.talk:id/item_{n % 12}",
            "text": "사진을 보내려면 여기를 누르세요" if n % 3 else None,
            "x": 100 + n * 7,
            "y": 400 + n * 11,
            "bounds": f"[{n},{n}][{n + 96},{n + 48}]",
        }
        for n in range(BATCH)
    ]
    return json.dumps({"logs": events}, ensure_ascii=False)


def start_consumer(stack: Stack) -> None:
    log = open(Path(stack.workdir) / "activity-consumer.log", "ab")  # noqa: SIM115 - lives as long as the process
    command = [sys.executable, "-m", "gateway.classroom.activity_consumer"]
    stack.processes["activity-consumer"] = subprocess.Popen(
        command, cwd=stack.workdir, env=stack.env, stdout=log, stderr=log
    )


def count(dsn: str, sql: str) -> int:
    with psycopg.connect(dsn) as conn:
        return conn.execute(sql).fetchone()[0]


def stream_lag(env: BenchEnvironment) -> int | None:
    """Stream messages after the consumer's stored offset (its lag in batches), from the stream's last offset."""
    settings = GatewaySettings(_env_file=None, database_url=env.url, amqp_url=env.stack_env["AMQP_URL"])
    db = Database(settings.database_url, 1)
    try:
        [stream] = stream_health(db, settings)["streams"]
        return max((r["lag_messages"] for r in stream.get("readers", [])), default=None)
    finally:
        db.dispose()


def one_round(stack: Stack, env: BenchEnvironment, script: str, args) -> dict:
    """wrk for args.duration seconds while the stored rows are counted; then the drain."""
    dsn = env.url.replace("+psycopg", "")
    stored_before, accepted_before = count(dsn, STORED), count(dsn, ACCEPTED)
    samples: list[tuple[float, int]] = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            samples.append((time.monotonic(), count(dsn, STORED) - stored_before))
            done.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    load_before = os.getloadavg()[0]
    with CpuMeter(env.db) as cpu:
        started = time.monotonic()
        sampler.start()
        output = wrk(f"{stack.env['GATEWAY_URL']}/api/logs/batch", script, args.duration, args.connections)
        load_ended = time.monotonic()
        load_after = os.getloadavg()[0]
        with psycopg.connect(dsn) as conn:
            batches, stored = conn.execute(BOTH).fetchone()
        accepted = (batches - accepted_before) * BATCH
        lag_events = accepted - (stored - stored_before)
        lag_messages = stream_lag(env)
        drained = wait_until(lambda: count(dsn, STORED) - stored_before >= accepted, 600, 0.1)
        finished = time.monotonic()
        done.set()
        sampler.join()
    assert drained, "the events were not all stored:\n" + stack.logs("activity-consumer")
    steady = [(t, n) for t, n in samples if started + WARM_UP_SECONDS <= t <= load_ended]
    slope = (steady[-1][1] - steady[0][1]) / (steady[-1][0] - steady[0][0]) if len(steady) > 1 else 0.0
    posted = parse_wrk(output)
    return {
        "accepted": accepted,
        "sustained": slope,
        "end_to_end": accepted / (finished - started),
        "post_rate": posted["rps"] * BATCH,
        "lag_events": lag_events,
        "lag_messages": lag_messages,
        "drain_seconds": finished - load_ended,
        "wrk": posted,
        "cpu_ms": cpu.per_job_ms(max(accepted, 1) / 1000),  # per 1,000 events
        "load": (load_before, load_after),
    }


def run(args) -> tuple[list[dict], dict]:
    with BenchEnvironment() as env:
        stack = Stack({**env.stack_env, "OUTBOX_POLL_INTERVAL_SECONDS": "0.5"})
        try:
            stack.start("gateway")
            stack.start("relay")
            start_consumer(stack)
            _, steps, tokens = seed_session(stack, env.url.replace("+psycopg", ""))
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                quoted = ", ".join(f'"{token}"' for token in tokens)
                script.write(POST_SCRIPT % (quoted, batch_body(steps[2])))
            try:
                name = script.name  # absolute: wrk() joins it to bench/ and keeps it
                wrk(f"{stack.env['GATEWAY_URL']}/api/logs/batch", name, 3, args.connections)  # warm-up
                wait_until(lambda: count(env.url.replace("+psycopg", ""), STORED) > 0, 60, 0.2)
                rounds = [one_round(stack, env, name, args) for _ in range(args.rounds)]
            finally:
                Path(script.name).unlink()
        finally:
            stack.stop()
    return rounds, stack.env


def figures(rounds: list[dict]) -> list[Figure]:
    rates = [r["end_to_end"] for r in rounds]
    sustained = [r["sustained"] for r in rounds]
    each = ", ".join(f"{rate:,.0f}" for rate in rates)
    worst = min(rates)
    return [
        Figure(
            "activity ingestion, batches of 100, first POST to last stored (each round)",
            f">= {TARGET:,} events/s",
            f"**{worst:,.0f} events/s** ({each})",
            worst >= TARGET,
        ),
        Figure(
            "activity stored while the load ran (steady, each round)",
            "",
            ", ".join(f"{rate:,.0f}" for rate in sustained) + " events/s",
        ),
        Figure(
            "activity consumer's lag when the load stopped (each round)",
            "",
            "; ".join(f"{r['lag_events']:,} events, drained in {r['drain_seconds']:.1f} s" for r in rounds),
        ),
    ]


def report(args, rounds: list[dict], env: dict) -> str:
    rows = []
    for n, r in enumerate(rounds, 1):
        w = r["wrk"]
        rows.append(
            f"| {n} | {r['accepted']:,} | {w['rps']:,.0f} ({r['post_rate']:,.0f} events/s) | "
            f"{w['p50']:.1f} / {w['p99']:.1f} ms | {w['non_2xx']} | **{r['end_to_end']:,.0f}** | "
            f"{r['sustained']:,.0f} | {r['lag_events']:,} events ({r['lag_messages']} batches) | "
            f"{r['drain_seconds']:.1f} s | {r['load'][0]:.1f} / {r['load'][1]:.1f} |"
        )
    cpu = {name: statistics.mean(r["cpu_ms"][name] for r in rounds) for name in rounds[0]["cpu_ms"]}
    cpu_rows = "\n".join(f"| {name} | {ms:.1f} |" for name, ms in sorted(cpu.items(), key=lambda kv: -kv[1]) if ms)
    knobs = f"WEB_CONCURRENCY={env.get('WEB_CONCURRENCY')}, ACTIVITY_BATCH_EVENTS and ACTIVITY_FLUSH_MS at defaults"
    return f"""
## Classroom activity ingestion (issue 20), {datetime.date.today().isoformat()}

- Command: `make bench-classroom-activity` (`python -m bench.classroom_activity --duration {args.duration} \
--connections {args.connections} --rounds {args.rounds}`)
- Machine: {machine()}
- Stack: gunicorn gateway, outbox relay and activity consumer, on a database and vhost of their own ({knobs}).
  A started session of a 7-step lecture, {LEARNERS} learners joined by code; wrk posts POST /api/logs/batch of
  {BATCH} events (each naming a step, with text, coordinates and bounds) with their participant tokens, at
  concurrency {args.connections}, for {args.duration} s a round; the stored rows are counted every 0.5 s.
- First POST to last stored: the round's accepted events over the time from its first POST to its last event in
  `activity_logs`. Steady: the slope of the stored count from {WARM_UP_SECONDS} s in to the end of the load. Lag:
  accepted and not yet stored when wrk stopped (and the consumer's stream lag, in messages of {BATCH} events).

| round | events accepted | POST /api/logs/batch req/s | p50 / p99 | non-2xx | first POST to last stored, events/s \
| stored while loaded, events/s | lag when the load stopped | drained in | load average before / after |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}

CPU per 1,000 events (mean of the rounds; all processes of each component, from /proc; 2 cores = 2,000 ms/s):

| component | CPU ms per 1,000 events |
| --- | --- |
{cpu_rows}
| **total** | **{sum(cpu.values()):.1f}** |
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds of load per round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    output_arguments(parser)
    args = parser.parse_args()
    rounds, env = run(args)
    publish(args, "bench-classroom-activity", figures(rounds), report(args, rounds, env), machine())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
