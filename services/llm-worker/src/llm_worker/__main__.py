"""`python -m llm_worker`: consume GPT jobs, careers tasks and the studio's work until SIGTERM/SIGINT."""

import logging
import os
import signal

from llm_worker.bootstrap import Worker
from llm_worker.settings import WorkerSettings
from shared.amqp.topology import ensure_declared
from shared.logging import configure_logging

log = logging.getLogger("llm_worker")


def lower_priority(nice: int) -> int:
    """Run at niceness `nice` at least (never raised back: that needs privileges); the niceness now in force.

    The worker's jobs, trainings and renders are CPU-bound Python; at equal priority, on a host it shares
    with the gateway, they take CPU time from requests that are waiting for an answer. Queued work waits
    in its queue instead, and the worker has the whole CPU whenever the API is idle.
    """
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if nice > current:
        os.setpriority(os.PRIO_PROCESS, 0, nice)
    return max(nice, current)


def main() -> None:
    settings = WorkerSettings()
    configure_logging(settings.log_level, "llm-worker")
    log.info("running at nice %d (WORKER_NICE)", lower_priority(settings.worker_nice))
    ensure_declared(settings.amqp_url, settings.retry_delays_ms, "llm-worker-setup")
    worker = Worker(settings)
    worker.prepare()  # before consuming: no job pays for loading a model
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: worker.stop())
    worker.run()


if __name__ == "__main__":
    main()
