"""Settings every service reads from the environment."""

from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def split_list(value: Any) -> Any:
    """Accept `a,b,c` (and a JSON list) for list settings."""
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("["):
            import json

            return json.loads(value)
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class CommonSettings(BaseSettings):
    """Environment-driven settings common to all services; subclass per service."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    app_env: str = Field("development", description="development | test | production")
    log_level: str = "INFO"
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/%2F"
    amqp_heartbeat: int = 30
    retry_delays_ms: Annotated[list[int], NoDecode] = Field(
        default=[1_000, 5_000, 30_000],
        description="Back-off before each retry; after the last one a message goes to its .dead queue",
    )

    _split_delays = field_validator("retry_delays_ms", mode="before")(split_list)
