"""`python -m notifier`: push server, e-mail and webhook consumers (NOTIFIER_ROLES) until SIGTERM/SIGINT."""

import asyncio
import signal

from notifier.bootstrap import Service
from notifier.settings import NotifierSettings
from shared.amqp.topology import ensure_declared
from shared.logging import configure_logging


async def _serve(service: Service) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await service.serve(stop)


def main() -> None:
    settings = NotifierSettings()
    configure_logging(settings.log_level, "notifier")
    ensure_declared(settings.amqp_url, settings.retry_delays_ms, "notifier-setup")
    asyncio.run(_serve(Service(settings)))


if __name__ == "__main__":
    main()
