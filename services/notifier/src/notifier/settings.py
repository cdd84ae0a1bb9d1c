"""The notifier's settings, read once from the environment."""

from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import NoDecode

from shared.amqp.topology import WEBHOOK_DELAYS_MS
from shared.config import CommonSettings, split_list

ROLES = ("realtime", "email", "webhooks")
# After attempt n fails, attempt n + 1 waits about RETRY_SCHEDULE_MS[n - 1] (minus up to 25% jitter):
# 5 s, 30 s, 2 min, 10 min, 1 h, then every 6 h; 17 attempts over about 2.8 days, then the delivery fails.
RETRY_SCHEDULE_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000] + [21_600_000] * 11


class NotifierSettings(CommonSettings):
    """What the notifier serves, where it consumes and sends, and where it reports."""

    notifier_roles: Annotated[list[str], NoDecode] = Field(
        default=list(ROLES), description="What this process runs: realtime, email, webhooks (comma-separated)"
    )
    gateway_url: str = "http://127.0.0.1:8000"
    notifier_webhook_secret: str = ""
    redis_url: str = "redis://127.0.0.1:6379/0"
    notifier_redis_prefix: str = "notifier"

    # real-time push
    notifier_bind: str = "127.0.0.1:8001"
    jwt_public_keys: Annotated[list[str], NoDecode] = Field(default_factory=list)
    jwt_issuer: str = "platform-gateway"
    jwt_audience: str = "platform-api"
    notifier_jwks_url: str | None = None
    notifier_jwks_min_refresh_seconds: float = 30.0
    notifier_heartbeat_seconds: float = 15.0
    notifier_stream_maxlen: int = 1000
    notifier_stream_window_seconds: int = 24 * 3600
    notifier_client_queue: int = 1000
    notifier_realtime_prefetch: int = 256
    notifier_redis_connections: int = 16
    notifier_sweep_seconds: float = 60.0
    notifier_cors_origins: Annotated[list[str], NoDecode] = ["*"]

    fast_paths: bool = Field(True, description="FAST_PATHS=0 turns off every path that exists only for speed")

    # the classroom's sockets (notifier/classroom)
    notifier_classroom_window: int = Field(500, ge=1, description="Events kept per live session to resume from")
    notifier_classroom_ttl_seconds: int = Field(24 * 3600, ge=60, description="A session's log lives this long")
    notifier_classroom_gap_seconds: float = Field(1.0, gt=0, description="How long an overtaken event is awaited")
    notifier_classroom_max_message_bytes: int = Field(64 * 1024, ge=1024, le=1024 * 1024)
    notifier_classroom_presence_seconds: int = Field(90, ge=10, description="A learner socket's presence entry")
    notifier_gateway_connections: int = Field(16, ge=1, description="Connections to the gateway for sockets' calls")
    notifier_gateway_timeout_seconds: float = Field(15.0, gt=0, description="How long a gateway answer may take")

    # e-mail
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_timeout_seconds: float = 30.0
    mail_from: str = "Platform <no-reply@localhost>"
    maildir: str = "var/maildir"
    app_url: str = "http://127.0.0.1:8000"
    notifier_events_prefetch: int = 32
    notifier_events_threads: int = 8

    # outbound customer webhooks
    notifier_webhooks_prefetch: int = 64
    notifier_webhooks_threads: int = 32
    webhook_connect_timeout_seconds: float = 3.0
    webhook_timeout_seconds: float = 10.0
    webhook_retry_schedule_ms: Annotated[list[int], NoDecode] = Field(default_factory=lambda: list(RETRY_SCHEDULE_MS))
    webhook_delay_buckets_ms: Annotated[list[int], NoDecode] = Field(default_factory=lambda: list(WEBHOOK_DELAYS_MS))
    webhook_disable_after_hours: float = 120.0
    webhook_allow_private_urls: bool = False
    webhook_report_batch_size: int = 200
    webhook_report_linger_ms: int = 50

    _split = field_validator(
        "notifier_roles",
        "jwt_public_keys",
        "notifier_cors_origins",
        "webhook_retry_schedule_ms",
        "webhook_delay_buckets_ms",
        mode="before",
    )(split_list)

    @model_validator(mode="after")
    def _check(self):
        unknown = set(self.notifier_roles) - set(ROLES)
        if unknown or not self.notifier_roles:
            raise ValueError(f"NOTIFIER_ROLES takes {', '.join(ROLES)}; got {', '.join(self.notifier_roles)}")
        if "webhooks" in self.notifier_roles and not self.notifier_webhook_secret:
            raise ValueError("NOTIFIER_WEBHOOK_SECRET is required (make run writes one into .env)")
        if self.smtp_ssl and self.smtp_starttls:
            raise ValueError("SMTP_SSL and SMTP_STARTTLS exclude each other")
        if self.app_env == "production" and self.webhook_allow_private_urls:
            raise ValueError("WEBHOOK_ALLOW_PRIVATE_URLS=true is for tests and local development only")
        if not self.webhook_delay_buckets_ms or not self.webhook_retry_schedule_ms:
            raise ValueError("WEBHOOK_DELAY_BUCKETS_MS and WEBHOOK_RETRY_SCHEDULE_MS need at least one value")
        return self

    @property
    def jwks_url(self) -> str | None:
        """Where the gateway publishes its token keys (`off`: only JWT_PUBLIC_KEYS)."""
        if (self.notifier_jwks_url or "").lower() == "off":
            return None
        return self.notifier_jwks_url or self.gateway_url.rstrip("/") + "/api/auth/jwks"

    @property
    def bind(self) -> tuple[str, int]:
        host, _, port = self.notifier_bind.rpartition(":")
        return host.strip("[]") or "0.0.0.0", int(port)
