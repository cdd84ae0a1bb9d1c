"""`python -m payments`: consume charges and refunds until SIGTERM/SIGINT."""

import signal

from payments.bootstrap import Service
from payments.settings import PaymentsSettings
from shared.amqp.topology import ensure_declared
from shared.logging import configure_logging


def main() -> None:
    settings = PaymentsSettings()
    configure_logging(settings.log_level, "payments")
    ensure_declared(settings.amqp_url, settings.retry_delays_ms, "payments-setup")
    service = Service(settings)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: service.stop())
    service.run()


if __name__ == "__main__":
    main()
