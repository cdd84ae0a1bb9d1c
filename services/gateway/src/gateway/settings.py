"""The gateway's settings, read once from the environment."""

from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import NoDecode

from shared.config import CommonSettings, split_list

DEV_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/platform"


class GatewaySettings(CommonSettings):
    """Everything the API processes and the relay need."""

    database_url: str = DEV_DATABASE_URL
    db_pool_size: int = 5
    jobs_webhook_secrets: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="whsec_ secrets the llm-worker may sign with (comma-separated)"
    )
    webhook_tolerance_seconds: int = 300
    webhook_receipt_retention_hours: int = 24
    max_body_bytes: int = 1024 * 1024
    max_job_text_bytes: int = 200 * 1024
    max_page_size: int = 100
    outbox_batch_size: int = 500
    outbox_poll_interval_seconds: float = 1.0
    outbox_retention_hours: int = 24

    _split = field_validator("jobs_webhook_secrets", mode="before")(split_list)

    @model_validator(mode="after")
    def _secrets_outside_development(self):
        if self.app_env not in ("development", "test") and not self.jobs_webhook_secrets:
            raise ValueError("JOBS_WEBHOOK_SECRETS is required outside development")
        return self

    @property
    def psycopg_dsn(self) -> str:
        """The database URL for plain psycopg (the relay's LISTEN connection)."""
        return self.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
