"""`make bench-classroom-ws`: 500 learners on one live session's socket; next-step to the last learner's step_changed.

Through the real platform: a database and a vhost of the run's own, the gunicorn gateway, the outbox relay and
one notifier (`python -m notifier`, realtime and e-mail roles, its own Redis prefix). An instructor builds a
lecture of one task with `--rounds` + 1 steps and opens a session; the learners join it by code (participant
tokens) and the instructor starts it. A load generator in another process opens one socket per learner to
`/ws/sessions/{code}`, joins, and records when each step_changed arrives. This process then POSTs next-step
`--rounds` times, one every `--pause` seconds, each timed from just before the POST; a round's latency is the
time until the LAST of the learners has its step_changed. Memory per connection is the notifier's RSS with
every learner joined minus its RSS before, divided by the learners.
"""

import argparse
import asyncio
import datetime
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import redis

from bench.notifier import cpu_seconds, free_port, raise_open_files, rss_kib
from bench.report import Figure, output_arguments, publish
from bench.run import ROOT, BenchEnvironment, machine

sys.path.insert(0, str(ROOT / "tests/e2e"))
from e2e_stack import Stack, wait_until

TARGET_P99_MS = 200
STEP_CHANGED, STATE = '{"type":"step_changed"', '{"type":"state"'  # how the notifier's messages begin
WAVE = 100
PASSWORD = "correct horse battery staple"


def instructor(stack: Stack) -> str:
    """A new user upgraded to instructor, signed in again so the token carries the role; its access token."""
    name = f"teacher{uuid.uuid4().hex[:8]}"
    body = {"email": f"{name}@example.com", "username": name, "password": PASSWORD}
    assert stack.http.post("/api/auth/signup", json=body).status_code == 201
    token = stack.http.post("/api/auth/login", json={"username": name, "password": PASSWORD}).json()["access_token"]
    upgraded = stack.http.post("/api/users/me/upgrade-to-instructor", headers=_bearer(token))
    assert upgraded.status_code in (200, 201), upgraded.text
    return stack.http.post("/api/auth/login", json={"username": name, "password": PASSWORD}).json()["access_token"]


def open_session(stack: Stack, token: str, steps: int) -> dict:
    """A lecture of one task with `steps` steps, and a session of it: the session's answer."""
    headers = _bearer(token)
    lecture = stack.http.post("/api/lectures", json={"title": "스마트폰 기초"}, headers=headers)
    assert lecture.status_code == 201, lecture.text
    subtasks = [{"title": f"단계 {n}", "target_action": "CLICK", "guide_text": f"{n}번 버튼을 누르세요"}
                for n in range(1, steps + 1)]  # fmt: skip
    body = {"title": "사진 보내기", "subtasks": subtasks}
    task = stack.http.post(f"/api/lectures/{lecture.json()['id']}/tasks", json=body, headers=headers)
    assert task.status_code == 201, task.text
    session = stack.http.post(f"/api/lectures/{lecture.json()['id']}/sessions", json={}, headers=headers)
    assert session.status_code == 201, session.text
    return session.json()


def join_learners(stack: Stack, code: str, count: int) -> list[str]:
    """`count` learners joined by code; their participant tokens."""
    tokens = []
    for n in range(count):
        body = {"code": code, "device_id": f"bench-device-{n}", "display_name": f"학습자 {n}"}
        joined = stack.http.post("/api/sessions/join", json=body)
        assert joined.status_code == 201, joined.text
        tokens.append(joined.json()["participant_token"])
    return tokens


def control(stack: Stack, token: str, session_id: str, action: str) -> dict:
    headers = _bearer(token) | {"Idempotency-Key": uuid.uuid4().hex}
    answer = stack.http.post(f"/api/sessions/{session_id}/{action}", json={}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


# --- the load generator (its own process) -------------------------------------------------------


async def _learner(session, url: str, token: str, received: list, joined, refusals: list) -> None:
    """One learner's app: join, keep each step_changed with its time of arrival (read after the run, so this
    process's own work delays the next learner's receipt as little as it can); refused before its state (1013:
    the gateway was slow to answer the seat's check), try again shortly, as the app does."""
    import aiohttp

    for _ in range(10):
        served = False
        async with session.ws_connect(url, params={"access_token": token}, heartbeat=None, max_msg_size=0) as ws:
            await ws.send_str('{"type": "join"}')
            async for message in ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    break
                if STEP_CHANGED in message.data:
                    received.append((time.time(), message.data))
                elif not served and STATE in message.data:
                    served = True
                    joined()
        if served:
            return
        refusals.append(ws.close_code)
        await asyncio.sleep(0.5)


async def _load(url: str, tokens: list[str], results: Path) -> None:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=30)
    receipts: list[list] = [[] for _ in tokens]
    refusals: list[int] = []
    joined = 0

    def one_more() -> None:
        nonlocal joined
        joined += 1

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        tasks = []
        for start in range(0, len(tokens), WAVE):  # connect in waves, not as one SYN flood
            for n in range(start, min(start + WAVE, len(tokens))):
                tasks.append(asyncio.create_task(_learner(session, url, tokens[n], receipts[n], one_more, refusals)))
            while joined < len(tasks) and not any(t.done() for t in tasks):
                await asyncio.sleep(0.05)
        failed = [t for t in tasks if t.done()]
        print(f"READY {joined} {len(failed)} {len(refusals)}", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)  # until told to stop
        for task in tasks:
            task.cancel()
    results.write_text(json.dumps({"joined": joined, "receipts": receipts}))


def load_generator(url: str, tokens_file: str, results: str) -> None:
    raise_open_files(65536)
    asyncio.run(_load(url, json.loads(Path(tokens_file).read_text()), Path(results)))


# --- the run ------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * (len(ordered) - 1) + 0.5))]


def run(args) -> dict:
    raise_open_files(args.learners * 2 + 4096)
    with BenchEnvironment() as env:
        notifier_port, prefix = free_port(), f"bench-classroom-{uuid.uuid4().hex[:8]}"
        stack = Stack(env.stack_env | {"OUTBOX_POLL_INTERVAL_SECONDS": "1"})
        try:
            start_gateway(stack)
            stack.start("relay")
            where = {"NOTIFIER_BIND": f"127.0.0.1:{notifier_port}", "NOTIFIER_REDIS_PREFIX": prefix}
            notifier = stack.start("notifier", {"NOTIFIER_ROLES": "realtime,email", **where})
            base = f"http://127.0.0.1:{notifier_port}"
            healthy = wait_until(lambda: _healthy(base), 30)
            assert healthy, stack.logs("notifier")
            teacher = instructor(stack)
            session = open_session(stack, teacher, args.rounds + 1)
            tokens = join_learners(stack, session["code"], args.learners)
            control(stack, teacher, session["id"], "start")
            time.sleep(2)
            rss_before = rss_kib(notifier.pid)
            workdir = Path(stack.workdir)
            (workdir / "tokens.json").write_text(json.dumps(tokens))
            url = base.replace("http", "ws", 1) + f"/ws/sessions/{session['code']}"
            loadgen = subprocess.Popen(
                [sys.executable, "-m", "bench.classroom_ws", "--load-generator", url, str(workdir / "tokens.json"),
                 str(workdir / "results.json")],
                cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            started = time.monotonic()
            ready = loadgen.stdout.readline().split()
            assert ready and ready[0] == "READY", f"load generator failed: {ready}\n{stack.logs('notifier')}"
            connect_seconds = time.monotonic() - started
            joined, failed, refused = int(ready[1]), int(ready[2]), int(ready[3])
            time.sleep(3)  # the joins' presence posts settle
            rss_joined = rss_kib(notifier.pid)
            posted: dict[str, tuple[float, float]] = {}  # step id -> (before the POST, its answer)
            cpu_before = cpu_seconds(notifier.pid), cpu_seconds(loadgen.pid)
            for _ in range(args.rounds):
                before = time.time()
                answer = control(stack, teacher, session["id"], "next-step")
                posted[answer["current_step"]["id"]] = (before, time.time())
                time.sleep(args.pause)
            time.sleep(2)
            cpu = cpu_seconds(notifier.pid) - cpu_before[0], cpu_seconds(loadgen.pid) - cpu_before[1]
            loadgen.stdin.write("stop\n")
            loadgen.stdin.flush()
            loadgen.wait(60)
            outcome = json.loads((workdir / "results.json").read_text())
        finally:
            stack.stop()
            _forget(prefix)
    return summarise(args, outcome, posted) | {
        "joined": joined,
        "failed": failed,
        "refused": refused,
        "connect_seconds": connect_seconds,
        "rss_before_mib": rss_before / 1024,
        "rss_joined_mib": rss_joined / 1024,
        "kib_per_connection": (rss_joined - rss_before) / max(1, joined),
        "notifier_cpu_ms": 1000 * cpu[0] / args.rounds,
        "loadgen_cpu_ms": 1000 * cpu[1] / args.rounds,
        "load": os.getloadavg()[0],
    }


def summarise(args, outcome: dict, posted: dict[str, tuple[float, float]]) -> dict:
    """Per round, the last learner's receipt after the POST; over all receipts, each learner's."""
    last: dict[str, float] = {}
    occurred: dict[str, float] = {}
    every, missing, doubles, disorder = [], 0, 0, 0
    for raw in outcome["receipts"]:
        receipts = [_receipt(at, json.loads(text)) for at, text in raw]
        steps = [step for step, *_ in receipts]
        seqs = [seq for _, seq, *_ in receipts]
        missing += len(set(posted) - set(steps))
        doubles += len(steps) - len(set(steps))
        disorder += sum(1 for a, b in itertools.pairwise(seqs) if b <= a)
        first: dict[str, tuple[float, float]] = {}  # a learner's first receipt of each step (a second is counted)
        for step, _, at, made in receipts:
            first.setdefault(step, (at, made))
        for step, (at, made) in first.items():
            if step in posted:
                every.append(1000 * (at - posted[step][0]))
                last[step], occurred[step] = max(last.get(step, 0.0), at), made
    rounds = [1000 * (last[step] - before) for step, (before, _) in posted.items() if step in last]
    fan_out = [1000 * (last[step] - occurred[step]) for step in last]
    answers = [1000 * (after - before) for before, after in posted.values()]
    return {
        "learners": args.learners,
        "rounds": len(posted),
        "p50": statistics.median(rounds),
        "p90": percentile(rounds, 0.9),
        "p99": percentile(rounds, 0.99),
        "max": max(rounds),
        "each_p50": statistics.median(every),
        "each_p99": percentile(every, 0.99),
        "post_p50": statistics.median(answers),
        "fan_out_p50": statistics.median(fan_out),
        "fan_out_p99": percentile(fan_out, 0.99),
        "receipts": len(every),
        "expected": args.learners * len(posted),
        "missing": missing,
        "doubles": doubles,
        "disorder": disorder,
    }


def _receipt(at: float, event: dict) -> tuple[str, int, float, float]:
    """(step id, seq, arrival, the event's time in the gateway) of one step_changed."""
    occurred = datetime.datetime.fromisoformat(event["occurred_at"]).timestamp()
    return event["data"]["step"]["id"], event["seq"], at, occurred


def start_gateway(stack: Stack) -> None:
    """The gateway, given longer than the e2e stack's 30 s to boot its workers on a busy machine."""
    try:
        stack.start("gateway")
    except AssertionError:
        assert wait_until(stack._gateway_up, 120), stack.logs("gateway")


def _healthy(base: str) -> bool:
    try:
        return bool(httpx.get(f"{base}/healthz", timeout=1).json().get("broker"))
    except (httpx.HTTPError, ValueError):
        return False


def _forget(prefix: str) -> None:
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    keys = list(client.scan_iter(f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


def figures(args, r: dict) -> list[Figure]:
    everyone = r["joined"] >= args.learners and not r["failed"]
    whole = not (r["missing"] or r["doubles"] or r["disorder"])
    return [
        Figure(f"classroom socket: next-step -> the last of {args.learners} learners' step_changed, p99",
               f"< {TARGET_P99_MS} ms", f"**{r['p99']:.1f} ms** (p50 {r['p50']:.1f})", r["p99"] < TARGET_P99_MS),
        Figure("learners on one session's socket", f"{args.learners}", f"{r['joined']} ({r['failed']} failed)",
               everyone),
        Figure("step_changed: every learner each once, in order", "0 missing, 0 twice",
               f"{r['missing']} missing, {r['doubles']} twice, {r['disorder']} out of order", whole),
        Figure("notifier memory per classroom socket", "", f"{r['kib_per_connection']:.1f} KiB"),
    ]  # fmt: skip


def report(args, r: dict) -> str:
    command = f"python -m bench.classroom_ws --learners {args.learners} --rounds {args.rounds} --pause {args.pause:g}"
    verdict = "met" if r["p99"] < TARGET_P99_MS else "**not met**"
    return f"""
## Classroom socket fan-out (issue 20), {datetime.date.today().isoformat()}

- Command: `make bench-classroom-ws` (`{command}`)
- Machine: {machine()}
- The real path: gunicorn gateway, outbox relay, one notifier (realtime and e-mail roles), a database, vhost and
  Redis prefix of the run's own. The learners joined by code (participant tokens) and hold one socket each to
  `/ws/sessions/{{code}}` from a load generator in another process on the same machine. Each round is
  `POST /api/sessions/{{id}}/next-step` (the instructor's token) -> the gateway's transaction and outbox -> relay
  -> RabbitMQ -> the notifier's queue -> the session's Redis log -> every socket, timed from just before the POST
  to the last learner's `step_changed`.

| measurement | result | target |
| --- | --- | --- |
| learners joined | {r["joined"]} of {r["learners"]}, {r["failed"]} failed, in {r["connect_seconds"]:.1f} s ({r["refused"]} refused at first and joined again) | {r["learners"]} |
| next-step -> last learner's step_changed, p50 / p90 / p99 / max of {r["rounds"]} rounds | {r["p50"]:.1f} / {r["p90"]:.1f} / **{r["p99"]:.1f}** / {r["max"]:.1f} ms | p99 < {TARGET_P99_MS} ms ({verdict}) |
| next-step -> each learner's step_changed, p50 / p99 | {r["each_p50"]:.1f} / {r["each_p99"]:.1f} ms | |
| the POST's own answer, p50 | {r["post_p50"]:.1f} ms | |
| the event's time in the gateway's transaction (before its commit) -> last learner, p50 / p99 | {r["fan_out_p50"]:.1f} / {r["fan_out_p99"]:.1f} ms | |
| receipts | {r["receipts"]:,} of {r["expected"]:,}; {r["missing"]} missing, {r["doubles"]} twice, {r["disorder"]} out of order | every learner each once, in order |
| notifier RSS: before the sockets / {r["joined"]} joined | {r["rss_before_mib"]:.1f} / {r["rss_joined_mib"]:.1f} MiB | |
| memory per connection | **{r["kib_per_connection"]:.1f} KiB** | |
| CPU per next-step: the notifier (its whole fan-out) / the load generator (500 clients parsing) | {r["notifier_cpu_ms"]:.1f} / {r["loadgen_cpu_ms"]:.1f} ms | |
| load average (1 min) at the end | {r["load"]:.1f} | |
"""  # noqa: E501


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--load-generator":
        load_generator(*sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=60, help="next-steps (the lecture has one step more)")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between next-steps")
    output_arguments(parser)
    args = parser.parse_args()
    measured = run(args)
    publish(args, "bench-classroom-ws", figures(args, measured), report(args, measured), machine())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
