"""The composition root: build the provider, memo, reporter and consumer from settings."""

import os
import socket

import redis

from llm_worker.handlers.run_job import RunJobHandler
from llm_worker.memo import StepMemo
from llm_worker.providers.base import LLMProvider
from llm_worker.reporter import BatchReporter
from llm_worker.settings import WorkerSettings
from shared.amqp.connection import connection_parameters
from shared.amqp.consumer import ConsumerRunner
from shared.amqp.topology import llm_worker_jobs
from shared.webhooks.sender import WebhookSender

JOBS_WEBHOOK_PATH = "/api/webhooks/jobs"


def build_provider(settings: WorkerSettings) -> LLMProvider:
    """`openai` with a key (or forced), else the offline extractive provider."""
    if settings.provider_name == "openai":
        from llm_worker.providers.openai_chat import OpenAIProvider

        return OpenAIProvider(
            api_key=settings.openai_api_key or "missing-key",
            model=settings.openai_model,
            base_url=settings.openai_base_url,
            timeout=settings.openai_timeout_seconds,
            max_retries=settings.openai_max_retries,
        )
    from llm_worker.providers.local import LocalProvider

    return LocalProvider()


class Worker:
    """Everything one llm-worker process runs, with a single stop()."""

    def __init__(self, settings: WorkerSettings, provider: LLMProvider | None = None):
        name = f"llm-worker@{socket.gethostname()}:{os.getpid()}"
        self.provider = provider or build_provider(settings)
        self.sender = WebhookSender(settings.gateway_url, settings.jobs_webhook_secret)
        self.reporter = BatchReporter(
            self.sender, JOBS_WEBHOOK_PATH, settings.webhook_batch_size, settings.webhook_linger_ms / 1000
        )
        # Only calls that cost money need the memo; a free deterministic provider just recomputes.
        memo = None
        if self.provider.billable:
            memo = StepMemo(
                redis.Redis.from_url(settings.redis_url),
                settings.memo_ttl_seconds,
                settings.memo_lock_seconds,
                prefix=settings.memo_prefix,
            )
        queue = llm_worker_jobs(tuple(settings.retry_delays_ms))
        handler = RunJobHandler(self.provider, memo, self.reporter, name, queue.delivery_limit)
        params = connection_parameters(settings.amqp_url, "llm-worker", settings.amqp_heartbeat)
        self.consumer = ConsumerRunner(params, queue, handler, settings.prefetch, settings.threads)

    def run(self) -> None:
        self.reporter.start()
        try:
            self.consumer.run()
        finally:
            self.reporter.stop()
            self.sender.close()

    def stop(self) -> None:
        self.consumer.stop()
