"""The composition root: build providers, engines, store, reporters and one consumer per queue from settings."""

import logging
import os
import socket
import threading

import redis

from llm_worker.handlers.generate_image import GenerateImageHandler
from llm_worker.handlers.run_job import RunJobHandler
from llm_worker.handlers.train_style import TrainStyleHandler
from llm_worker.memo import StepMemo
from llm_worker.providers.base import LLMProvider
from llm_worker.reporter import BatchReporter
from llm_worker.settings import WorkerSettings
from llm_worker.studio.engines import ImageEngine
from llm_worker.studio.model_cache import ModelCache
from llm_worker.studio.reports import StudioReporter
from shared import signature
from shared.amqp.connection import connection_parameters
from shared.amqp.consumer import ConsumerRunner
from shared.amqp.topology import llm_worker_inference, llm_worker_jobs, llm_worker_training
from shared.storage import ObjectStore, build_store
from shared.webhooks.sender import WebhookSender

log = logging.getLogger(__name__)
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


def build_image_engine(settings: WorkerSettings) -> ImageEngine:
    """The embedded engine unless IMAGE_ENGINE asks for openai (or `auto` finds a key)."""
    if settings.image_engine_name == "openai":
        from llm_worker.studio.openai_images import OpenAIImageEngine

        return OpenAIImageEngine(
            api_key=settings.openai_api_key,
            model=settings.openai_image_model,
            base_url=settings.openai_base_url,
            timeout=settings.openai_image_timeout_seconds,
            max_retries=settings.openai_max_retries,
        )
    from llm_worker.studio.render import EmbeddedEngine

    return EmbeddedEngine()


class Worker:
    """Everything one llm-worker process runs: a consumer per queue, each on its own connection and threads."""

    def __init__(
        self,
        settings: WorkerSettings,
        provider: LLMProvider | None = None,
        image_engine: ImageEngine | None = None,
        store: ObjectStore | None = None,
    ):
        name = f"llm-worker@{socket.gethostname()}:{os.getpid()}"
        self.provider = provider or build_provider(settings)
        self.sender = WebhookSender(settings.gateway_url, settings.jobs_webhook_secret)
        self.reporter = BatchReporter(
            self.sender,
            JOBS_WEBHOOK_PATH,
            settings.webhook_batch_size,
            settings.webhook_linger_ms / 1000,
            settings.webhook_max_bytes,
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
        delays = tuple(settings.retry_delays_ms)
        jobs = llm_worker_jobs(delays)
        handler = RunJobHandler(self.provider, memo, self.reporter, name, jobs.delivery_limit)
        self.senders = [self.sender]
        jobs_consumer = self._consumer(settings, "llm-worker", jobs, handler, settings.prefetch, settings.threads)
        self.consumers = {"jobs": jobs_consumer}
        self.store = store or build_store(settings)
        self.image_engine = image_engine
        if settings.training_webhook_secret:
            self.consumers["training"] = self._training_consumer(settings, delays)
        if settings.inference_webhook_secret:
            self.consumers["inference"] = self._inference_consumer(settings, delays)
        for family in ("training", "inference"):
            if family not in self.consumers:
                log.warning("not consuming llm-worker.%s: %s_WEBHOOK_SECRET is empty", family, family.upper())

    def _training_consumer(self, settings: WorkerSettings, delays: tuple[int, ...]) -> ConsumerRunner:
        queue = llm_worker_training(delays)
        handler = TrainStyleHandler(
            self.store,
            self._studio_reporter(settings, settings.training_webhook_secret),
            queue.delivery_limit,
            settings.training_max_images,
            settings.training_max_epochs,
            settings.training_max_image_pixels,
            settings.style_palette_size,
            settings.training_progress_interval_ms / 1000,
        )
        threads = settings.training_threads
        return self._consumer(settings, "llm-worker-training", queue, handler, settings.training_prefetch, threads)

    def _inference_consumer(self, settings: WorkerSettings, delays: tuple[int, ...]) -> ConsumerRunner:
        self.image_engine = self.image_engine or build_image_engine(settings)
        queue = llm_worker_inference(delays)
        handler = GenerateImageHandler(
            self.store,
            ModelCache(self.store),
            self.image_engine,
            self._studio_reporter(settings, settings.inference_webhook_secret),
            queue.delivery_limit,
            settings.signature_key.encode() or signature.DEFAULT_KEY,
        )
        threads = settings.image_threads
        return self._consumer(settings, "llm-worker-inference", queue, handler, settings.inference_prefetch, threads)

    def _studio_reporter(self, settings: WorkerSettings, secret: str) -> StudioReporter:
        sender = WebhookSender(settings.gateway_url, secret)
        self.senders.append(sender)
        return StudioReporter(sender)

    @staticmethod
    def _consumer(settings: WorkerSettings, name: str, queue, handler, prefetch: int, threads: int) -> ConsumerRunner:
        params = connection_parameters(settings.amqp_url, name, settings.amqp_heartbeat)
        return ConsumerRunner(params, queue, handler, prefetch, threads)

    def run(self) -> None:
        """Consume every queue until stop(): a slow training never holds up a job or an image."""
        self.reporter.start()
        threads = [
            threading.Thread(target=consumer.run, name=f"consume-{kind}", daemon=True)
            for kind, consumer in self.consumers.items()
        ]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                while thread.is_alive():
                    thread.join(timeout=1.0)
        finally:
            self.stop()
            self.reporter.stop()
            for sender in self.senders:
                sender.close()

    def stop(self) -> None:
        for consumer in self.consumers.values():
            consumer.stop()
