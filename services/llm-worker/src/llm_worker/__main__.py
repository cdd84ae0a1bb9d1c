"""`python -m llm_worker`: consume GPT jobs until SIGTERM/SIGINT."""

import signal

from llm_worker.bootstrap import Worker
from llm_worker.settings import WorkerSettings
from shared.amqp.topology import ensure_declared
from shared.logging import configure_logging


def main() -> None:
    settings = WorkerSettings()
    configure_logging(settings.log_level, "llm-worker")
    ensure_declared(settings.amqp_url, settings.retry_delays_ms, "llm-worker-setup")
    worker = Worker(settings)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: worker.stop())
    worker.run()


if __name__ == "__main__":
    main()
