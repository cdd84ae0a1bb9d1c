"""The llm-worker's settings, read once from the environment."""

from pydantic import Field, model_validator

from shared.storage import StorageSettings

IMAGE_ENGINES = ("auto", "embedded", "openai")


class WorkerSettings(StorageSettings):
    """Where to consume, which provider and image engine to call, where to store and report."""

    gateway_url: str = "http://127.0.0.1:8000"
    jobs_webhook_secret: str = ""
    redis_url: str = "redis://127.0.0.1:6379/0"
    memo_prefix: str = "llm-worker"
    prefetch: int = Field(
        256,
        description="Unacked jobs in flight; a job is acked only once the gateway accepted its report, so the "
        "window must cover a report's round trip (64 held the worker at ~500 jobs/s, 256 at ~650)",
    )
    handler_threads: int | None = Field(
        None, description="Threads running handlers; default 16 for openai (waits on HTTP), 2 for local (CPU-bound)"
    )
    webhook_batch_size: int = 800  # events before coalescing: about 200 finished jobs per webhook
    webhook_linger_ms: int = 50
    webhook_max_bytes: int = Field(
        512 * 1024,
        description="A report batch whose body would be larger leaves as several webhooks (keep it under the "
        "gateway's MAX_BODY_BYTES, 1 MiB by default)",
    )
    worker_nice: int = Field(
        10,
        ge=0,
        le=19,
        description="The worker's CPU priority (nice); above 0 it yields the CPU to the API when both want it",
    )
    careers_prefetch: int = Field(
        128, description="Unacked careers tasks in flight (acked once the gateway accepted the report, like jobs)"
    )
    careers_threads: int | None = Field(None, description="Threads doing careers tasks; default as handler_threads")
    classroom_prefetch: int = Field(
        64, description="Unacked classroom analyses in flight (acked once the gateway accepted the report)"
    )
    classroom_threads: int | None = Field(
        None, description="Threads doing classroom analyses (help requests, recordings); default as handler_threads"
    )
    memo_ttl_seconds: int = 7 * 24 * 3600
    memo_lock_seconds: int = 10

    llm_provider: str = "auto"
    openai_api_key: str = ""
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_timeout_seconds: float = 60.0
    openai_max_retries: int = 2

    # The style studio: an empty secret switches that consumer off (with a warning at start-up).
    training_webhook_secret: str = ""
    inference_webhook_secret: str = ""
    training_prefetch: int = 1
    training_threads: int = 1
    training_progress_interval_ms: int = 250
    training_max_images: int = 100
    training_max_epochs: int = 200
    training_max_image_pixels: int = 40_000_000
    style_palette_size: int = 8
    inference_prefetch: int = 8
    inference_threads: int | None = Field(None, description="Default 2 for embedded (CPU-bound), 8 for openai")
    image_engine: str = "embedded"
    openai_image_model: str = "gpt-image-1"
    openai_image_timeout_seconds: float = 120.0
    signature_key: str = Field("", description="Keys the invisible signature; the gateway's verify needs the same")

    @model_validator(mode="after")
    def _check(self):
        if not self.jobs_webhook_secret:
            raise ValueError("JOBS_WEBHOOK_SECRET is required (make run writes one into .env)")
        if self.llm_provider not in ("auto", "local", "openai"):
            raise ValueError("LLM_PROVIDER must be auto, local or openai")
        if self.image_engine not in IMAGE_ENGINES:
            raise ValueError("IMAGE_ENGINE must be auto, embedded or openai")
        if self.image_engine == "openai" and not self.openai_api_key:
            raise ValueError("IMAGE_ENGINE=openai needs OPENAI_API_KEY")
        return self

    @property
    def threads(self) -> int:
        """More threads only help while handlers wait on I/O; on CPU they fight over the GIL."""
        if self.handler_threads:
            return self.handler_threads
        return 16 if self.provider_name == "openai" else 2

    @property
    def image_engine_name(self) -> str:
        """`auto` means openai when a key is set; the default is the offline embedded engine."""
        if self.image_engine == "auto":
            return "openai" if self.openai_api_key else "embedded"
        return self.image_engine

    @property
    def image_threads(self) -> int:
        if self.inference_threads:
            return self.inference_threads
        return 8 if self.image_engine_name == "openai" else 2

    @property
    def provider_name(self) -> str:
        """`auto` means openai when a key is set, the offline local provider otherwise."""
        if self.llm_provider == "auto":
            return "openai" if self.openai_api_key else "local"
        return self.llm_provider
