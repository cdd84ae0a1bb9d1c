"""The composition root: build the store, provider, reporter, handlers and consumer from settings."""

import logging

from sqlalchemy import Engine

from payments.handlers import Dispatcher, registry
from payments.providers.base import PaymentProvider
from payments.reporter import GatewayReporter
from payments.settings import PaymentsSettings
from payments.store import PaymentStore, make_engine
from shared.amqp.connection import connection_parameters
from shared.amqp.consumer import ConsumerRunner
from shared.amqp.topology import payments_charges
from shared.webhooks.sender import WebhookSender

log = logging.getLogger(__name__)


def build_provider(settings: PaymentsSettings, engine: Engine) -> PaymentProvider:
    """`toss` with a secret key (or forced), else the offline sandbox."""
    if settings.provider_name == "toss":
        from payments.providers.toss import TossProvider

        return TossProvider(settings.toss_secret_key, settings.toss_base_url, settings.toss_timeout_seconds)
    from payments.providers.sandbox import SandboxProvider, SandboxRules

    if settings.app_env == "production":
        log.warning("PAYMENT_PROVIDER is the sandbox: no real money moves")
    rules = SandboxRules.of(
        settings.sandbox_decline_card_numbers,
        settings.sandbox_decline_amount_suffix,
        settings.sandbox_error_card_numbers,
    )
    return SandboxProvider(engine, rules)


class Service:
    """Everything one payments process runs, with a single stop()."""

    def __init__(self, settings: PaymentsSettings, provider: PaymentProvider | None = None):
        threads = settings.payments_handler_threads
        self.engine = make_engine(settings.payments_database_url, pool_size=threads)
        self.store = PaymentStore(self.engine)
        self.provider = provider or build_provider(settings, self.engine)
        self.sender = WebhookSender(settings.gateway_url, settings.payments_webhook_secret)
        handlers = registry(self.store, self.provider, GatewayReporter(self.sender))
        queue = payments_charges(tuple(settings.retry_delays_ms))
        params = connection_parameters(settings.amqp_url, "payments", settings.amqp_heartbeat)
        self.consumer = ConsumerRunner(params, queue, Dispatcher(handlers), settings.payments_prefetch, threads)

    def run(self) -> None:
        try:
            self.consumer.run()
        finally:
            self.sender.close()
            close = getattr(self.provider, "close", None)
            if close:
                close()
            self.engine.dispose()

    def stop(self) -> None:
        self.consumer.stop()
