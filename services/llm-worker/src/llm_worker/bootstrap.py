"""The composition root: build providers, engines, store, reporters and one consumer per queue from settings."""

import logging
import os
import socket
import threading
import time

import redis

from llm_worker.careers.dispatch import CareersDispatcher
from llm_worker.careers.port import CareersProvider
from llm_worker.careers.reports import careers_reporter
from llm_worker.classroom.port import ClassroomProvider
from llm_worker.classroom.reports import classroom_reporter
from llm_worker.handlers.analyze_help_request import AnalyzeHelpRequestHandler
from llm_worker.handlers.analyze_recording import AnalyzeRecordingHandler
from llm_worker.handlers.build_study_guide import BuildStudyGuideHandler
from llm_worker.handlers.generate_image import GenerateImageHandler
from llm_worker.handlers.review_resume import ReviewResumeHandler
from llm_worker.handlers.rewrite_resume import RewriteResumeHandler
from llm_worker.handlers.run_interview_step import RunInterviewStepHandler
from llm_worker.handlers.run_job import RunJobHandler
from llm_worker.handlers.train_style import TrainStyleHandler
from llm_worker.memo import StepMemo
from llm_worker.providers.base import LLMProvider
from llm_worker.reporter import BatchReporter
from llm_worker.settings import WorkerSettings
from llm_worker.studio.engines import ImageEngine
from llm_worker.studio.model_cache import ModelCache
from llm_worker.studio.reports import StudioReporter
from llm_worker.task_dispatch import TaskDispatcher
from shared import signature
from shared.amqp.connection import connection_parameters
from shared.amqp.consumer import ConsumerRunner
from shared.amqp.topology import (
    llm_worker_careers,
    llm_worker_classroom,
    llm_worker_inference,
    llm_worker_jobs,
    llm_worker_training,
)
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


def build_careers_provider(settings: WorkerSettings) -> CareersProvider:
    """The same choice as for jobs: `openai` (structured output) with a key, else the offline analysis."""
    if settings.provider_name == "openai":
        from llm_worker.careers.openai_careers import OpenAICareersProvider

        return OpenAICareersProvider(
            api_key=settings.openai_api_key or "missing-key",
            model=settings.openai_model,
            base_url=settings.openai_base_url,
            timeout=settings.openai_timeout_seconds,
            max_retries=settings.openai_max_retries,
        )
    from llm_worker.careers.offline import OfflineCareersProvider

    return OfflineCareersProvider()


def build_classroom_provider(settings: WorkerSettings) -> ClassroomProvider:
    """The same choice again: `openai` (structured output) with a key, else the offline diagnosis and analysis."""
    if settings.provider_name == "openai":
        from llm_worker.classroom.openai_classroom import OpenAIClassroomProvider

        return OpenAIClassroomProvider(
            api_key=settings.openai_api_key or "missing-key",
            model=settings.openai_model,
            base_url=settings.openai_base_url,
            timeout=settings.openai_timeout_seconds,
            max_retries=settings.openai_max_retries,
        )
    from llm_worker.classroom.offline import OfflineClassroomProvider

    return OfflineClassroomProvider()


CLASSROOM_HANDLERS = {  # one queue, two commands: type -> handler
    "AnalyzeHelpRequest": AnalyzeHelpRequestHandler,
    "AnalyzeRecording": AnalyzeRecordingHandler,
}
CAREERS_HANDLERS = {  # one queue, four commands: type -> handler
    "ReviewResume": ReviewResumeHandler,
    "RewriteResume": RewriteResumeHandler,
    "RunInterviewStep": RunInterviewStepHandler,
    "BuildStudyGuide": BuildStudyGuideHandler,
}


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
        careers_provider: CareersProvider | None = None,
        classroom_provider: ClassroomProvider | None = None,
    ):
        name = f"llm-worker@{socket.gethostname()}:{os.getpid()}"
        self.provider = provider or build_provider(settings)
        self.careers_provider = careers_provider or build_careers_provider(settings)
        self.classroom_provider = classroom_provider or build_classroom_provider(settings)
        self.sender = WebhookSender(settings.gateway_url, settings.jobs_webhook_secret)
        self.reporter = BatchReporter(
            self.sender,
            JOBS_WEBHOOK_PATH,
            settings.webhook_batch_size,
            settings.webhook_linger_ms / 1000,
            settings.webhook_max_bytes,
        )
        self.careers_reporter = careers_reporter(
            self.sender, settings.webhook_batch_size, settings.webhook_linger_ms / 1000, settings.webhook_max_bytes
        )
        self.classroom_reporter = classroom_reporter(
            self.sender, settings.webhook_batch_size, settings.webhook_linger_ms / 1000, settings.webhook_max_bytes
        )
        # Only calls that cost money need the memo; a free deterministic provider just recomputes.
        memo = None
        if self.provider.billable or self.careers_provider.billable or self.classroom_provider.billable:
            memo = StepMemo(
                redis.Redis.from_url(settings.redis_url),
                settings.memo_ttl_seconds,
                settings.memo_lock_seconds,
                prefix=settings.memo_prefix,
            )
        delays = tuple(settings.retry_delays_ms)
        jobs = llm_worker_jobs(delays)
        handler = RunJobHandler(
            self.provider, memo if self.provider.billable else None, self.reporter, name, jobs.delivery_limit
        )
        self.senders = [self.sender]
        jobs_consumer = self._consumer(settings, "llm-worker", jobs, handler, settings.prefetch, settings.threads)
        self.consumers = {"jobs": jobs_consumer}
        careers_memo = memo if self.careers_provider.billable else None
        self.consumers["careers"] = self._careers_consumer(settings, delays, careers_memo, name)
        classroom_memo = memo if self.classroom_provider.billable else None
        self.consumers["classroom"] = self._classroom_consumer(settings, delays, classroom_memo, name)
        self.store = store or build_store(settings)
        self.image_engine = image_engine
        if settings.training_webhook_secret:
            self.consumers["training"] = self._training_consumer(settings, delays)
        if settings.inference_webhook_secret:
            self.consumers["inference"] = self._inference_consumer(settings, delays)
        for family in ("training", "inference"):
            if family not in self.consumers:
                log.warning("not consuming llm-worker.%s: %s_WEBHOOK_SECRET is empty", family, family.upper())

    def _careers_consumer(self, settings: WorkerSettings, delays, memo: StepMemo | None, name: str) -> ConsumerRunner:
        queue = llm_worker_careers(delays)
        handlers = {
            kind: handler(self.careers_provider, memo, self.careers_reporter, name, queue.delivery_limit)
            for kind, handler in CAREERS_HANDLERS.items()
        }
        threads = settings.careers_threads or settings.threads
        return self._consumer(
            settings, "llm-worker-careers", queue, CareersDispatcher(handlers), settings.careers_prefetch, threads
        )

    def _classroom_consumer(self, settings: WorkerSettings, delays, memo: StepMemo | None, name: str):
        queue = llm_worker_classroom(delays)
        handlers = {
            kind: handler(self.classroom_provider, memo, self.classroom_reporter, name, queue.delivery_limit)
            for kind, handler in CLASSROOM_HANDLERS.items()
        }
        threads = settings.classroom_threads or settings.threads
        dispatcher = TaskDispatcher(handlers, "classroom")
        return self._consumer(settings, "llm-worker-classroom", queue, dispatcher, settings.classroom_prefetch, threads)

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

    def prepare(self) -> None:
        """Load what the providers load lazily (the Korean analyser: about 4 s of CPU) before any job arrives."""
        for provider in (self.provider, self.careers_provider, self.classroom_provider):
            prepare = getattr(provider, "prepare", None)
            if prepare is not None:
                started = time.process_time()
                prepare()
                log.info("%s provider prepared in %.1f s of CPU", provider.name, time.process_time() - started)

    def run(self) -> None:
        """Consume every queue until stop(): a slow training never holds up a job or an image."""
        self.reporter.start()
        self.careers_reporter.start()
        self.classroom_reporter.start()
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
            self.careers_reporter.stop()
            self.classroom_reporter.stop()
            for sender in self.senders:
                sender.close()

    def stop(self) -> None:
        for consumer in self.consumers.values():
            consumer.stop()
