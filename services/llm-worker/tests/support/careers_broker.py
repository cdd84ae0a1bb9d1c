"""The careers consumer on the real broker: a fresh queue, the worker's settings, and the worker as a process."""

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pika

from llm_worker.settings import WorkerSettings
from shared.amqp.topology import ensure_declared, llm_worker_careers

FAST_RETRIES = (200, 400, 800)
CAREERS = llm_worker_careers(FAST_RETRIES)


def declare_fresh(amqp_url: str) -> None:
    """Declare the topology with the fast ladder and empty the careers queues of earlier tests."""
    assert ensure_declared(amqp_url, list(FAST_RETRIES), "careers-tests")
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    for name, _ in CAREERS.queues():
        channel.queue_purge(name)
    conn.close()


def careers_settings(amqp_url: str, gateway_url: str, secret: str, storage_dir: str, **extra) -> WorkerSettings:
    """A worker on this run's vhost, reporting to the stand-in receiver (the studio's consumers off)."""
    values = {
        "app_env": "test",
        "amqp_url": amqp_url,
        "gateway_url": gateway_url,
        "jobs_webhook_secret": secret,
        "retry_delays_ms": list(FAST_RETRIES),
        "llm_provider": "local",
        "storage_backend": "local",
        "storage_dir": storage_dir,
    }
    return WorkerSettings(_env_file=None, **(values | extra))


@contextlib.contextmanager
def worker_processes(log_dir: Path, env: dict[str, str]) -> Iterator:
    """`start()` runs `python -m llm_worker` with `env`; every process still running is killed at the end."""
    processes = []

    def start() -> subprocess.Popen:
        log = open(log_dir / f"llm-worker-{len(processes)}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [sys.executable, "-m", "llm_worker"],
            env={"PATH": os.environ.get("PATH", ""), **env},
            stdout=log,
            stderr=log,
        )
        processes.append((process, log))
        return process

    try:
        yield start
    finally:
        for process, log in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            process.wait(10)
            log.close()
