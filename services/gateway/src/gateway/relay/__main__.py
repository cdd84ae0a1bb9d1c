"""`python -m gateway.relay`: run the outbox relay until SIGTERM/SIGINT."""

from gateway.relay.relay import OutboxRelay, install_signal_handlers
from gateway.settings import GatewaySettings
from shared.amqp.topology import ensure_declared
from shared.logging import configure_logging


def main() -> None:
    settings = GatewaySettings()
    configure_logging(settings.log_level, "outbox-relay")
    ensure_declared(settings.amqp_url, settings.retry_delays_ms, "outbox-relay-setup")
    relay = OutboxRelay(settings)
    install_signal_handlers(relay)
    relay.run()


if __name__ == "__main__":
    main()
