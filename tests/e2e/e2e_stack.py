"""Starts the real processes (gunicorn gateway, outbox relay, llm-worker) for end-to-end tests."""

import importlib.util
import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import httpx
import numpy as np
import pika
from PIL import Image

from gateway.accounts.tokens import generate_private_key_pem
from gateway.platform.db import Database
from gateway.wallet import service as wallet
from shared.amqp.topology import ensure_declared, work_queues
from shared.testing import wait_until
from shared.webhooks import generate_secret

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_openai_standin():
    """The OpenAI-compatible stand-in server from the llm-worker's test support (loaded by path)."""
    path = ROOT / "services/llm-worker/tests/support/openai_standin.py"
    spec = importlib.util.spec_from_file_location("e2e_openai_standin", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


E2E_RETRY_DELAYS = "300,600"
JWT_PRIVATE_KEY = generate_private_key_pem()


def e2e_env(database_url, payments_database_url, amqp_url, redis_prefix) -> dict:
    """The stack's environment on this run's database, vhost and Redis prefix, its work queues empty."""
    secret, payments_secret, notifier_secret = generate_secret(), generate_secret(), generate_secret()
    ensure_declared(amqp_url, [300, 600], "e2e")
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    for queue in work_queues():  # an earlier test's leftovers (a payment's events, say) must not reach this one
        for name in (queue.name, queue.dead_name):
            channel.queue_purge(name)
    channel.queue_purge("unroutable")
    conn.close()
    return {
        "DATABASE_URL": database_url,
        "AMQP_URL": amqp_url,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "MEMO_PREFIX": f"{redis_prefix}:{uuid.uuid4().hex[:6]}",
        "MEMO_LOCK_SECONDS": "2",
        "JOBS_WEBHOOK_SECRETS": secret,
        "JOBS_WEBHOOK_SECRET": secret,
        "JWT_PRIVATE_KEY": JWT_PRIVATE_KEY,
        "PAYMENTS_WEBHOOK_SECRETS": payments_secret,
        "PAYMENTS_WEBHOOK_SECRET": payments_secret,
        "PAYMENTS_DATABASE_URL": payments_database_url,
        "PAYMENT_PROVIDER": "sandbox",
        "NOTIFIER_WEBHOOK_SECRETS": notifier_secret,
        "NOTIFIER_WEBHOOK_SECRET": notifier_secret,
        "NOTIFIER_REDIS_PREFIX": f"{redis_prefix}:notifier-{uuid.uuid4().hex[:6]}",
        "WEBHOOK_ALLOW_PRIVATE_URLS": "true",  # the tests' customer endpoints listen on loopback
        "OPERATOR_TOKEN": f"op-{uuid.uuid4().hex}",  # /api/health/detailed
        "RATE_LIMIT_PREFIX": f"{redis_prefix}:ratelimit",
        "RETRY_DELAYS_MS": E2E_RETRY_DELAYS,
        "OUTBOX_POLL_INTERVAL_SECONDS": "0.5",
        "LLM_PROVIDER": "local",
    }


class Stack:
    """The platform's processes, each a real OS process; stopped in reverse order."""

    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        self.workdir = tempfile.mkdtemp(prefix="e2e-")  # no .env here: only `env` configures the processes
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "FAST_PATHS": os.environ.get("FAST_PATHS", "1"),  # `make test` runs the jobs e2e test both ways
            "GATEWAY_BIND": f"127.0.0.1:{self.port}",
            "GATEWAY_URL": f"http://127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "2",
            "APP_ENV": "test",
            "LOG_LEVEL": "INFO",
            **env,
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.http = httpx.Client(base_url=self.env["GATEWAY_URL"], timeout=10)

    def start(self, name: str, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
        commands = {
            "gateway": [
                str(VENV_BIN / "gunicorn"),
                "--config",
                str(ROOT / "deploy/gunicorn.conf.py"),
                "gateway.wsgi:create_app()",
            ],
            "relay": [sys.executable, "-m", "gateway.relay"],
            "llm-worker": [sys.executable, "-m", "llm_worker"],
            "payments": [sys.executable, "-m", "payments"],
            "notifier": [sys.executable, "-m", "notifier"],
        }
        command = commands[name]
        log = open(Path(self.workdir) / f"{name}.log", "ab")  # noqa: SIM115 - lives as long as the process
        process = subprocess.Popen(
            command, cwd=self.workdir, env={**self.env, **(extra_env or {})}, stdout=log, stderr=log
        )
        self.processes[name] = process
        if name == "gateway":
            assert wait_until(self._gateway_up, 30), self.logs("gateway")
        return process

    def _gateway_up(self) -> bool:
        try:
            return self.http.get("/api/health").status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        process.send_signal(sig)
        process.wait(timeout=30)

    def stop(self) -> None:
        for name in list(self.processes)[::-1]:
            process = self.processes.pop(name)
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.http.close()

    def logs(self, name: str) -> str:
        path = Path(self.workdir) / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def sign_in(self) -> dict:
        """Sign up a fresh user through the API and send its access token from now on."""
        name = f"e2e{os.urandom(5).hex()}"
        password = "correct horse battery staple"
        user = self.http.post(
            "/api/auth/signup", json={"email": f"{name}@example.com", "username": name, "password": password}
        )
        assert user.status_code == 201, user.text
        tokens = self.http.post("/api/auth/login", json={"username": name, "password": password}).json()
        self.http.headers["Authorization"] = f"Bearer {tokens['access_token']}"
        return user.json()

    def post_job(self, text: str) -> str:
        response = self.http.post("/api/jobs", json={"text": text})
        assert response.status_code == 202, response.text
        return response.json()["event_id"]

    def job(self, event_id: str) -> dict:
        return self.http.get(f"/api/jobs/{event_id}").json()

    def wait_until_finished(self, path: str, timeout: float = 60.0) -> dict:
        """GET `path` every 10 ms until its status is `completed` or `failed`; that body."""
        body = wait_until(
            lambda: (b := self.http.get(path).json())["status"] in ("completed", "failed") and b, timeout, 0.01
        )
        assert body, f"{path} never finished: {self.http.get(path).json()}\n{self.logs('llm-worker')}"
        return body

    def wait_for_status(self, event_id: str, statuses: set[str], timeout: float = 60.0) -> dict:
        job = wait_until(lambda: (j := self.job(event_id))["status"] in statuses and j, timeout)
        assert job, (
            f"job {event_id} never reached {statuses}: {self.job(event_id)}\n"
            f"relay:\n{self.logs('relay')}\nllm-worker:\n{self.logs('llm-worker')}"
        )
        return job


def artwork(n: int) -> bytes:
    """A 320x320 JPEG in warm stripes with noise: something with a palette and a texture to learn."""
    rng = np.random.default_rng(n)
    y, x = np.mgrid[0:320, 0:320]
    stripes = (np.sin((x + y * (n % 3)) / (6 + n)) + 1) / 2
    pixels = np.stack([200 * stripes + 40, 120 * stripes + 30, 60 + 0 * stripes], axis=-1)
    pixels = np.clip(pixels + rng.normal(0, 12, pixels.shape), 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def grant(database_url: str, user_id: str, amount: int) -> None:
    """Credit `amount` tokens to a user's wallet, as a grant."""
    db = Database(database_url, 1)
    wallet.grant(db.uow(), uuid.UUID(user_id), amount, f"e2e-{uuid.uuid4()}", "e2e grant")
    db.dispose()


def studio_env(env: dict, storage_dir: str, epochs: int = 10) -> dict:
    """`env` with the style studio switched on: a secret per report family, a local store, the embedded engine."""
    training, inference = generate_secret(), generate_secret()
    return {
        **env,
        "TRAINING_WEBHOOK_SECRETS": training,
        "TRAINING_WEBHOOK_SECRET": training,
        "INFERENCE_WEBHOOK_SECRETS": inference,
        "INFERENCE_WEBHOOK_SECRET": inference,
        "STORAGE_BACKEND": "local",
        "STORAGE_DIR": storage_dir,
        "SIGNATURE_KEY": "e2e-signature-key",
        "STYLE_TRAINING_EPOCHS": str(epochs),
        "IMAGE_ENGINE": "embedded",
    }


def upload_style(stack: Stack) -> tuple[dict, httpx.Response]:
    """Sign up an artist and upload a style of twelve artworks: (the artist, the upload's answer)."""
    artist = stack.sign_in()
    assert stack.http.post("/api/users/me/upgrade-to-artist").status_code == 200
    files = [("images", (f"art-{n}.jpg", artwork(n), "image/jpeg")) for n in range(12)]
    form = {"name": "Amber stripes", "tags": "warm,stripes", "price_per_generation": "10"}
    return artist, stack.http.post("/api/styles", data=form, files=files, timeout=60)
