"""`make bench-notifier`: push fan-out latency and memory per connection of one notifier process.

One `python -m notifier` (all roles) gets a RabbitMQ vhost and a Redis prefix of
its own. A load generator in another process opens N concurrent SSE clients
(aiohttp), two per user; this process then publishes DomainEvents through the
real broker to the `events` exchange at a steady rate, spread over the users,
each stamped with its publish time. Every client records publish -> receipt.
Memory per connection is the notifier's RSS with every client connected minus
its RSS before, divided by the clients.
"""

import argparse
import asyncio
import datetime
import json
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import pika
import redis
from joserfc import jwt
from joserfc.jwk import RSAKey

from bench.report import Figure, output_arguments, publish
from bench.run import machine
from shared.amqp.topology import ensure_declared
from shared.messages import DomainEvent
from shared.webhooks import generate_secret

ROOT = Path(__file__).resolve().parents[1]
TARGET_P99_MS = 250
REDIS_URL = "redis://127.0.0.1:6379/0"
WAVE = 200


def raise_open_files(wanted: int) -> int:
    """Lift the soft open-files limit toward `wanted` (children inherit it); the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(max(soft, wanted), hard)
    if target > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def mint(key: RSAKey, user_id: str, ttl: int = 3600) -> str:
    now = int(time.time())
    claims = {
        "iss": "platform-gateway",
        "aud": "platform-api",
        "sub": user_id,
        "iat": now,
        "exp": now + ttl,
        "jti": str(uuid.uuid4()),
        "sid": str(uuid.uuid4()),
        "token_use": "access",
    }
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key, algorithms=["RS256"])


class Environment:
    """A vhost, a Redis prefix and a working directory of the benchmark's own; removed afterwards."""

    def __init__(self):
        run = uuid.uuid4().hex[:8]
        self.vhost = f"bench-notifier-{run}"
        self.prefix = f"bench-notifier-{run}"
        self.workdir = tempfile.mkdtemp(prefix="bench-notifier-")
        self.amqp_url = f"amqp://guest:guest@127.0.0.1:5672/{self.vhost}"

    def __enter__(self) -> "Environment":
        for args in (("add_vhost", self.vhost), ("set_permissions", "-p", self.vhost, "guest", ".*", ".*", ".*")):
            subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True)
        assert ensure_declared(self.amqp_url, [1000, 5000, 30000], "bench-notifier")
        return self

    def __exit__(self, *exc) -> None:
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", self.vhost], capture_output=True)
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{self.prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            client.delete(*keys[start : start + 1000])
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_notifier(env: Environment, key: RSAKey, port: int, roles: str) -> subprocess.Popen:
    public_pem = key.as_pem(private=False).decode().strip().replace("\n", "\\n")
    variables = {
        "PATH": os.environ.get("PATH", ""),
        "APP_ENV": "test",
        "LOG_LEVEL": "WARNING",
        "AMQP_URL": env.amqp_url,
        "REDIS_URL": REDIS_URL,
        "NOTIFIER_REDIS_PREFIX": env.prefix,
        "NOTIFIER_BIND": f"127.0.0.1:{port}",
        "NOTIFIER_WEBHOOK_SECRET": generate_secret(),
        "GATEWAY_URL": "http://127.0.0.1:9",
        "JWT_PUBLIC_KEYS": public_pem,
        "NOTIFIER_JWKS_URL": "off",
        "MAILDIR": str(Path(env.workdir) / "maildir"),
        "NOTIFIER_ROLES": roles,
    }
    with open(Path(env.workdir) / "log", "w") as log:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen([sys.executable, "-m", "notifier"], cwd=env.workdir, env=variables, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).json().get("broker"):
                return process
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("the notifier did not become healthy: " + (Path(env.workdir) / "log").read_text()[-2000:])


# --- the load generator (its own process) -------------------------------------------------------


async def _client(session, url: str, token: str, sink: list, ready) -> None:
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    async with session.get(url, headers=headers) as response:
        if response.status != 200:
            raise RuntimeError(f"client refused: {response.status}")
        ready()
        async for raw in response.content:
            if raw.startswith(b"data: "):
                event = json.loads(raw[6:])
                published = event.get("data", {}).get("published_at") if isinstance(event, dict) else None
                if published:
                    sink.append((event["id"], time.time() - published))


async def _load(url: str, tokens: list[str], results: Path) -> None:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=30)
    received: list = []
    connected = 0
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        def ready() -> None:
            nonlocal connected
            connected += 1

        tasks = []
        for start in range(0, len(tokens), WAVE):  # connect in waves, not as one SYN flood
            wave = tokens[start : start + WAVE]
            tasks += [asyncio.create_task(_client(session, url, token, received, ready)) for token in wave]
            while connected < min(len(tokens), start + WAVE) and not any(t.done() for t in tasks):
                await asyncio.sleep(0.05)
        failed = [t for t in tasks if t.done() and t.exception()]
        print(f"READY {connected} {len(failed)}", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)  # until told to stop
        for task in tasks:
            task.cancel()
    results.write_text(json.dumps({"connected": connected, "received": received}))


def load_generator(url: str, tokens_file: str, results: str) -> None:
    raise_open_files(65536)
    tokens = json.loads(Path(tokens_file).read_text())
    asyncio.run(_load(url, tokens, Path(results)))


# --- the run ------------------------------------------------------------------------------------


def publish_steadily(amqp_url: str, users: list[str], rate: float, duration: float) -> list[str]:
    """DomainEvents at `rate` per second for `duration` seconds, each to a random user; their ids."""
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    rng = random.Random(7)
    ids, interval = [], 1.0 / rate
    start = time.monotonic()
    for n in range(int(rate * duration)):
        time.sleep(max(0.0, start + n * interval - time.monotonic()))
        event = DomainEvent(
            id=str(uuid.uuid4()),
            type="job.completed",
            user_id=rng.choice(users),
            occurred_at=datetime.datetime.now(datetime.UTC).isoformat(),
            title="Your summary is ready",
            body="The job finished.",
            data={"id": str(uuid.uuid4()), "status": "completed", "published_at": time.time()},
        )
        props = pika.BasicProperties(
            content_type="application/json",
            delivery_mode=pika.DeliveryMode.Persistent,
            message_id=uuid.uuid4().hex,
            type=DomainEvent.TYPE,
        )
        channel.basic_publish("events", event.routing_key(), event.to_json(), props)
        ids.append(event.id)
        if n % 50 == 0:
            conn.process_data_events(0)
    conn.close()
    return ids


def run(args) -> dict:
    limit = raise_open_files(args.clients * 2 + 4096)
    key = RSAKey.generate_key(2048, private=True)
    key.ensure_kid()
    users = [str(uuid.uuid4()) for _ in range(args.clients // args.per_user)]
    tokens = [mint(key, user) for user in users for _ in range(args.per_user)]
    with Environment() as env:
        port = free_port()
        notifier = start_notifier(env, key, port, args.roles)
        try:
            time.sleep(2)
            rss_before = rss_kib(notifier.pid)
            tokens_file, results = Path(env.workdir) / "tokens.json", Path(env.workdir) / "results.json"
            tokens_file.write_text(json.dumps(tokens))
            loadgen = subprocess.Popen(
                [sys.executable, "-m", "bench.notifier", "--load-generator", f"http://127.0.0.1:{port}/api/events/stream",
                 str(tokens_file), str(results)],
                cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            started = time.monotonic()
            ready = loadgen.stdout.readline().split()
            connect_seconds = time.monotonic() - started
            assert ready and ready[0] == "READY", f"load generator failed: {ready}"
            connected, failed = int(ready[1]), int(ready[2])
            time.sleep(3)
            rss_connected = rss_kib(notifier.pid)
            cpu_start = cpu_seconds(notifier.pid)
            ids = publish_steadily(env.amqp_url, users, args.rate, args.duration)
            cpu_used = cpu_seconds(notifier.pid) - cpu_start
            time.sleep(3)  # the last events arrive
            rss_after = rss_kib(notifier.pid)
            loadgen.stdin.write("stop\n")
            loadgen.stdin.flush()
            loadgen.wait(60)
            outcome = json.loads(results.read_text())
        finally:
            notifier.send_signal(signal.SIGTERM)
            try:
                notifier.wait(30)
            except subprocess.TimeoutExpired:
                notifier.kill()
    received = outcome["received"]
    latencies = sorted(1000 * seconds for _, seconds in received)
    per_event: dict[str, int] = {}
    for event_id, _ in received:
        per_event[event_id] = per_event.get(event_id, 0) + 1
    expected = len(ids) * args.per_user
    return {
        "clients": args.clients,
        "connected": connected,
        "failed": failed,
        "connect_seconds": connect_seconds,
        "users": len(users),
        "events": len(ids),
        "expected": expected,
        "received": len(received),
        "duplicates": sum(n - args.per_user for n in per_event.values() if n > args.per_user),
        "missing": expected - sum(min(n, args.per_user) for n in per_event.values()),
        "p50": statistics.median(latencies),
        "p90": latencies[int(0.90 * (len(latencies) - 1))],
        "p99": latencies[int(0.99 * (len(latencies) - 1))],
        "max": latencies[-1],
        "rss_before_mib": rss_before / 1024,
        "rss_connected_mib": rss_connected / 1024,
        "rss_after_mib": rss_after / 1024,
        "kib_per_connection": (rss_connected - rss_before) / max(1, connected),
        "cpu_ms_per_event": 1000 * cpu_used / max(1, len(ids)),
        "cpu_percent": 100 * cpu_used / args.duration,
        "open_files": limit,
    }


def figures(args, r: dict) -> list[Figure]:
    """The run's figures for the page's table, against issue 5's targets."""
    everyone = r["connected"] >= args.clients and not r["failed"]
    once = not r["missing"] and not r["duplicates"]
    return [
        Figure("push fan-out latency, publish -> receipt, p99", f"< {TARGET_P99_MS} ms", f"**{r['p99']:.1f} ms**",
               r["p99"] < TARGET_P99_MS),
        Figure("concurrent SSE clients connected", f"{args.clients:,}", f"{r['connected']:,} ({r['failed']} failed)",
               everyone),
        Figure("receipts: every client each event once", "0 missing, 0 duplicates",
               f"{r['missing']} missing, {r['duplicates']} duplicates", once),
        Figure("notifier memory per SSE connection", "", f"{r['kib_per_connection']:.1f} KiB"),
    ]  # fmt: skip


def report(args, r: dict) -> str:
    command = (
        f"python -m bench.notifier --clients {args.clients} --per-user {args.per_user} "
        f"--rate {args.rate:g} --duration {args.duration:g}"
    )
    verdict = "met" if r["p99"] < TARGET_P99_MS else "**not met**"
    return f"""
## Push fan-out (issue 5), {datetime.date.today().isoformat()}

- Command: `make bench-notifier` (`{command}`)
- Machine: {machine()}
- One notifier process (realtime, e-mail and webhook roles), its own vhost and Redis prefix; the load
  generator (aiohttp SSE clients) in another process on the same machine; events published to the
  `events` exchange by this process. Latency is publish (to the broker) -> receipt by the client.

| measurement | result | target |
| --- | --- | --- |
| concurrent SSE clients ({r["users"]:,} users x {args.per_user}) | {r["connected"]:,} connected, {r["failed"]} failed, in {r["connect_seconds"]:.1f} s | 2,000 |
| events published | {r["events"]:,} at {args.rate:g}/s for {args.duration:g} s | |
| receipts | {r["received"]:,} of {r["expected"]:,} expected; {r["missing"]} missing, {r["duplicates"]} duplicates | every client each event once |
| fan-out latency p50 / p90 / p99 / max | {r["p50"]:.1f} / {r["p90"]:.1f} / **{r["p99"]:.1f}** / {r["max"]:.1f} ms | p99 < {TARGET_P99_MS} ms ({verdict}) |
| notifier RSS: idle / {r["connected"]:,} connected / after the run | {r["rss_before_mib"]:.1f} / {r["rss_connected_mib"]:.1f} / {r["rss_after_mib"]:.1f} MiB | |
| memory per connection | **{r["kib_per_connection"]:.1f} KiB** | |
| notifier CPU while publishing | {r["cpu_percent"]:.1f}% of one core, {r["cpu_ms_per_event"]:.2f} ms per event | |
"""  # noqa: E501


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--load-generator":
        load_generator(*sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--per-user", type=int, default=2, help="connections per user (tabs, devices)")
    parser.add_argument("--rate", type=float, default=50.0, help="events per second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of publishing")
    parser.add_argument("--roles", default="realtime,email,webhooks", help="NOTIFIER_ROLES of the notifier")
    output_arguments(parser)
    args = parser.parse_args()
    measured = run(args)
    publish(args, "bench-notifier", figures(args, measured), report(args, measured), machine())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
