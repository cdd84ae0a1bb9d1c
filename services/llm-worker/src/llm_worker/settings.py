"""The llm-worker's settings, read once from the environment."""

from pydantic import Field, model_validator

from shared.config import CommonSettings


class WorkerSettings(CommonSettings):
    """Where to consume, which provider to call, where to report."""

    gateway_url: str = "http://127.0.0.1:8000"
    jobs_webhook_secret: str = ""
    redis_url: str = "redis://127.0.0.1:6379/0"
    memo_prefix: str = "llm-worker"
    prefetch: int = 64
    handler_threads: int | None = Field(
        None, description="Threads running handlers; default 16 for openai (waits on HTTP), 2 for local (CPU-bound)"
    )
    webhook_batch_size: int = 200
    webhook_linger_ms: int = 50
    memo_ttl_seconds: int = 7 * 24 * 3600
    memo_lock_seconds: int = 10

    llm_provider: str = "auto"
    openai_api_key: str = ""
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    openai_timeout_seconds: float = 60.0
    openai_max_retries: int = 2

    @model_validator(mode="after")
    def _check(self):
        if not self.jobs_webhook_secret:
            raise ValueError("JOBS_WEBHOOK_SECRET is required (make run writes one into .env)")
        if self.llm_provider not in ("auto", "local", "openai"):
            raise ValueError("LLM_PROVIDER must be auto, local or openai")
        return self

    @property
    def threads(self) -> int:
        """More threads only help while handlers wait on I/O; on CPU they fight over the GIL."""
        if self.handler_threads:
            return self.handler_threads
        return 16 if self.provider_name == "openai" else 2

    @property
    def provider_name(self) -> str:
        """`auto` means openai when a key is set, the offline local provider otherwise."""
        if self.llm_provider == "auto":
            return "openai" if self.openai_api_key else "local"
        return self.llm_provider
