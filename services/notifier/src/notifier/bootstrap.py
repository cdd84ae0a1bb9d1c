"""The composition root: build the push server, the consumers and their ports from settings."""

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pika.exceptions
import redis

from notifier.classroom.log import LogKeys, SyncSessionLog
from notifier.delivery.http import WebhookPoster
from notifier.delivery.policy import RetryPolicy
from notifier.delivery.scheduler import DelayScheduler
from notifier.handlers import Dispatcher, registry
from notifier.handlers.deliver_webhook import DeliverWebhookHandler
from notifier.handlers.domain_event import DomainEventHandler
from notifier.handlers.revocation import RevocationHandler
from notifier.handlers.session_event import SessionEventHandler
from notifier.ledger import AttemptLedger, FailureStreaks, MailLedger
from notifier.mail import MaildirMailer, Mailer, SmtpMailer
from notifier.realtime.server import RealtimeServer
from notifier.reporter import ReportBatcher
from notifier.settings import NotifierSettings
from notifier.stream import EventStream, StreamKeys
from shared.amqp.connection import connection_parameters
from shared.amqp.consumer import ConsumerRunner
from shared.amqp.topology import notifier_events, notifier_webhook_delays, notifier_webhooks
from shared.revocations import RevocationKeys
from shared.webhooks.sender import WebhookSender

log = logging.getLogger(__name__)


def build_mailer(settings: NotifierSettings) -> Mailer:
    """SMTP when SMTP_HOST is set, else the offline Maildir (MAILDIR)."""
    if settings.smtp_host:
        return SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_starttls,
            settings.smtp_ssl,
            settings.smtp_username,
            settings.smtp_password,
            settings.smtp_timeout_seconds,
        )
    if settings.app_env == "production":
        log.warning("SMTP_HOST is empty: e-mails go to the Maildir %s, nobody receives them", settings.maildir)
    return MaildirMailer(settings.maildir)


class Service:
    """Everything one notifier process runs (by NOTIFIER_ROLES), with a single stop."""

    def __init__(self, settings: NotifierSettings, mailer: Mailer | None = None):
        self.settings = settings
        roles = set(settings.notifier_roles)
        self.redis = redis.Redis.from_url(settings.redis_url, decode_responses=True)
        self.consumers: list[ConsumerRunner] = []
        self.realtime = RealtimeServer(settings) if "realtime" in roles else None
        self.scheduler: DelayScheduler | None = None
        self.reporter: ReportBatcher | None = None
        self._closers: list = []
        self._threads: list[threading.Thread] = []
        if "email" in roles:
            self.consumers.append(self._events_consumer(mailer or build_mailer(settings)))
        if "webhooks" in roles:
            self.consumers.append(self._webhooks_consumer())

    def _params(self, name: str):
        return connection_parameters(self.settings.amqp_url, name, self.settings.amqp_heartbeat)

    def _events_consumer(self, mailer: Mailer) -> ConsumerRunner:
        s = self.settings
        keys = StreamKeys(s.notifier_redis_prefix, s.notifier_stream_maxlen, s.notifier_stream_window_seconds)
        ledger = MailLedger(self.redis, s.notifier_redis_prefix, max(60, int(2 * s.smtp_timeout_seconds)))
        mail_pool = ThreadPoolExecutor(s.notifier_events_threads, thread_name_prefix="mail")
        self._closers.append(lambda: mail_pool.shutdown(wait=False, cancel_futures=True))
        stream = EventStream(self.redis, keys)
        handler = DomainEventHandler(stream, mailer, ledger, s.mail_from, s.app_url, mail_pool)
        queue = notifier_events(tuple(s.retry_delays_ms))
        revocation = RevocationHandler(self.redis, RevocationKeys(s.notifier_redis_prefix))
        log_keys = LogKeys(s.notifier_redis_prefix, s.notifier_classroom_window, s.notifier_classroom_ttl_seconds)
        session_event = SessionEventHandler(SyncSessionLog(self.redis, log_keys))
        dispatcher = Dispatcher(registry(domain_event=handler, revocation=revocation, session_event=session_event))
        # One handler thread: each event is appended to its stream in delivery order (e-mails use mail_pool).
        return ConsumerRunner(self._params("notifier-events"), queue, dispatcher, s.notifier_events_prefetch, 1)

    def _webhooks_consumer(self) -> ConsumerRunner:
        s = self.settings
        ladder = notifier_webhook_delays(tuple(s.webhook_delay_buckets_ms))
        self.scheduler = DelayScheduler(self._params("notifier-scheduler"), ladder)
        sender = WebhookSender(s.gateway_url, s.notifier_webhook_secret)
        self.reporter = ReportBatcher(sender, s.webhook_report_batch_size, s.webhook_report_linger_ms / 1000)
        poster = WebhookPoster(
            s.webhook_connect_timeout_seconds, s.webhook_timeout_seconds, s.webhook_allow_private_urls
        )
        self._closers += [poster.close, sender.close]
        handler = DeliverWebhookHandler(
            poster,
            RetryPolicy(s.webhook_retry_schedule_ms, max(ladder.delays_ms)),
            self.scheduler,
            AttemptLedger(self.redis, s.notifier_redis_prefix, int(s.webhook_timeout_seconds * 3) + 30),
            FailureStreaks(self.redis, s.notifier_redis_prefix),
            self.reporter,
            timedelta(hours=s.webhook_disable_after_hours),
        )
        queue = notifier_webhooks(tuple(s.retry_delays_ms))
        dispatcher = Dispatcher(registry(deliver_webhook=handler))
        return ConsumerRunner(
            self._params("notifier-webhooks"),
            queue,
            dispatcher,
            s.notifier_webhooks_prefetch,
            s.notifier_webhooks_threads,
        )

    def start_consumers(self) -> None:
        """The broker consumers on their own threads (the push server stays on the event loop)."""
        if self.scheduler:
            try:
                self.scheduler.declare()
            except pika.exceptions.AMQPError as exc:  # the consumers wait for the broker; so do the buckets
                log.warning("could not declare the webhook delay buckets yet: %r", exc)
            self.scheduler.start()
        if self.reporter:
            self.reporter.start()
        for consumer in self.consumers:
            thread = threading.Thread(target=consumer.run, name=f"consumer-{len(self._threads)}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop_consumers(self) -> None:
        for consumer in self.consumers:
            consumer.stop()
        for thread in self._threads:
            thread.join(timeout=20)
        for close in self._closers:  # first, so a report still waiting on the gateway gives up
            close()
        if self.reporter:
            self.reporter.stop()
        if self.scheduler:
            self.scheduler.stop()
        self.redis.close()

    async def serve(self, stop: asyncio.Event) -> None:
        """Run until `stop` is set: consumers on threads, the push server on this loop."""
        await asyncio.to_thread(self.start_consumers)
        try:
            if self.realtime:
                await self.realtime.start()
            await stop.wait()
        finally:
            if self.realtime:
                await self.realtime.stop()
            await asyncio.to_thread(self.stop_consumers)
