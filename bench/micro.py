"""`make bench-micro`: CPU per operation, in-process, best of several rounds.

wrk figures on a shared 2-core VM swing by +-20% between runs; CPU time of one
process doing one thing, best of N, is steadier and shows the effect of a
change to one path. Three paths: a POST /api/jobs through the Flask app, one
job event applied by the webhook receiver, and one job through the worker's
consumer and handler (real RabbitMQ, Redis and provider; the gateway report is
replaced by an instant answer).
"""

import argparse
import json
import sys
import threading
import time
import uuid
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path

import pika

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests/e2e"))
from bench.auth import auth_path  # noqa: E402
from bench.cpu import best_cpu_ms  # noqa: E402
from bench.report import Figure, output_arguments, publish  # noqa: E402
from bench.run import BenchEnvironment, machine  # noqa: E402
from gateway.app import create_app  # noqa: E402
from gateway.jobs.service import submit_job  # noqa: E402
from gateway.settings import GatewaySettings  # noqa: E402
from shared.webhooks import WebhookSigner, generate_secret  # noqa: E402

TEXT = json.loads((ROOT / "bench/post_job.lua").read_text().split("wrk.body = '")[1].split("'\n")[0])["text"]


def post_path(settings: GatewaySettings) -> float:
    client = create_app(settings).test_client()
    body = {"text": TEXT}
    for _ in range(50):
        client.post("/api/jobs", json=body)
    return best_cpu_ms(lambda: client.post("/api/jobs", json=body), 300)


def webhook_path(settings: GatewaySettings, secret: str, batch: int = 200) -> float:
    app = create_app(settings)
    client, db, signer = app.test_client(), app.extensions["gateway"].db, WebhookSigner(secret)
    now = datetime.now(UTC).isoformat()
    steps = [
        {
            "step": s,
            "provider": "local",
            "model": "m",
            "usage": {"prompt_tokens": 5, "completion_tokens": 3},
            "started_at": now,
            "completed_at": now,
        }
        for s in ("summary", "checklist")
    ]

    def body() -> bytes:
        ids = [str(submit_job(db.uow(), TEXT).id) for _ in range(batch)]
        data = {"summary": "S", "checklist": ["a", "b"], "provider": "local", "model": "m", "steps": steps}
        events = [
            {"version": 1, "id": f"{j}:1:c", "type": "job.completed", "job_id": j, "occurred_at": now, "data": data}
            for j in ids
        ]
        return json.dumps({"events": events}).encode()

    bodies = [body() for _ in range(6)]
    best = float("inf")
    for raw in bodies:
        start = time.process_time()
        client.post("/api/webhooks/jobs", data=raw, headers=signer.headers(raw), content_type="application/json")
        best = min(best, (time.process_time() - start) * 1000 / batch)
    return best


def worker_path(amqp_url: str, jobs: int = 2000) -> float:
    from llm_worker.handlers.run_job import RunJobHandler
    from llm_worker.providers.local import LocalProvider
    from shared.amqp.connection import connection_parameters
    from shared.amqp.consumer import ConsumerRunner
    from shared.amqp.topology import llm_worker_jobs
    from shared.messages import RunJob

    class InstantGateway:
        def submit(self, event):
            future = Future()
            future.set_result("applied")
            return future

    best = float("inf")
    for _ in range(3):
        conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
        channel = conn.channel()
        for _ in range(jobs):
            message = RunJob(job_id=str(uuid.uuid4()), text=TEXT, requested_at="now")
            channel.basic_publish("jobs", "job.run", message.to_json(), pika.BasicProperties(delivery_mode=2))
        conn.close()
        done, seen = threading.Event(), [0]
        handler = RunJobHandler(LocalProvider(), None, InstantGateway(), "bench")  # as bootstrap wires it

        def counting(delivery, handler=handler, seen=seen, done=done):
            outcome = handler(delivery)
            seen[0] += 1
            if seen[0] >= jobs:
                done.set()
            return outcome

        runner = ConsumerRunner(connection_parameters(amqp_url, "bench-micro"), llm_worker_jobs(), counting, 64, 2)
        start = time.process_time()
        thread = threading.Thread(target=runner.run, daemon=True)
        thread.start()
        done.wait(300)
        best = min(best, (time.process_time() - start) * 1000 / jobs)
        runner.stop()
        thread.join(10)
    return best


PATHS = {  # name in the page's table: what the figure covers
    "CPU per POST /api/jobs, in-process": "POST /api/jobs (Flask app in-process, incl. PostgreSQL client)",
    "CPU per applied job event": "one job.completed event applied by the webhook receiver (batches of 200)",
    "CPU per job in the worker": "one job through the worker's consumer + handler (local provider)",
}


def measure() -> tuple[dict, dict]:
    """CPU ms per operation of each path, and authenticate()'s wall and CPU figures."""
    secret = generate_secret()
    with BenchEnvironment() as env:
        settings = GatewaySettings(
            _env_file=None,
            database_url=env.url,
            jobs_webhook_secrets=[secret],
            jwt_private_key=env.stack_env["JWT_PRIVATE_KEY"],
        )
        auth = auth_path(settings)
        paths = dict(
            zip(
                PATHS,
                (post_path(settings), webhook_path(settings, secret), worker_path(env.stack_env["AMQP_URL"])),
                strict=True,
            )
        )
    return paths, auth


def report(paths: dict, auth: dict) -> str:
    rows = "\n".join(f"| {PATHS[name]} | **{ms:.3f}** |" for name, ms in paths.items())
    return f"""
## CPU per operation, in-process (`make bench-micro`), {datetime.now(UTC).date().isoformat()}

- Command: `make bench-micro` (`python -m bench.micro`)
- Machine: {machine()}
- Each path in this process, best of several rounds: steadier than wrk on a shared VM, for judging a
  change to one path. No targets: the targets are the whole stack's (`make bench`).

| path | CPU ms per operation |
| --- | --- |
{rows}
| authenticate() with an access token met before (claims + revocation lookup), CPU per call | {auth["cpu"]:.3f} |
| authenticate() with a token met for the first time (RS256 verify too), CPU per call | {auth["first_cpu"]:.3f} |

authenticate(): wall p50 {auth["p50"]:.3f} ms, p99 {auth["p99"]:.3f} ms.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    output_arguments(parser)
    args = parser.parse_args()
    paths, auth = measure()
    figures = [Figure(name, "", f"{ms:.3f} ms") for name, ms in paths.items()]
    publish(args, "bench-micro", figures, report(paths, auth), machine())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
