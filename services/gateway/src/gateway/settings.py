"""The gateway's settings, read once from the environment."""

import hashlib
import hmac
import re
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import NoDecode

from shared.config import split_list
from shared.storage import StorageSettings

DEV_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/platform"
SHA256_FINGERPRINT = re.compile(r"[0-9A-F]{2}(:[0-9A-F]{2}){31}")
ANDROID_PACKAGE = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+")


class GatewaySettings(StorageSettings):
    """Everything the API processes and the relay need (the object store's settings included)."""

    database_url: str = DEV_DATABASE_URL
    db_pool_size: int = 5
    jobs_webhook_secrets: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="whsec_ secrets the llm-worker may sign with (comma-separated)"
    )
    payments_webhook_secrets: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="whsec_ secrets the payments service may sign with (comma-separated)"
    )
    notifier_webhook_secrets: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="whsec_ secrets the notifier may sign its delivery reports with"
    )
    webhook_allow_private_urls: bool = Field(
        False, description="Let customer webhook endpoints be loopback/private URLs (tests, local development)"
    )
    webhook_tolerance_seconds: int = 300
    webhook_receipt_retention_hours: int = 24
    max_body_bytes: int = 1024 * 1024
    max_job_text_bytes: int = 200 * 1024
    max_page_size: int = 100
    fast_paths: bool = Field(
        True, description="The speed-only paths of gateway/fastpaths (0: the plain Flask and marshmallow paths alone)"
    )
    outbox_batch_size: int = 500
    outbox_poll_interval_seconds: float = 1.0
    outbox_gather_ms: int = Field(
        20,
        description="While messages trickle in, the relay claims at most once per this many ms, so they leave in "
        "batches; an idle relay claims at once",
    )
    outbox_retention_hours: int = 24
    # --- the HTTP server (gateway/serving): a worker serves a connection once its request is in hand ---
    request_head_timeout_seconds: float = Field(
        10.0, gt=0, description="A request's head (and a small body) must arrive whole within this; else 408"
    )
    request_body_preread_bytes: int = Field(
        64 * 1024, ge=0, description="Bodies up to this size are read with the head, under the same deadline"
    )

    # --- accounts and tokens ---
    jwt_private_key: str = Field("", description="RSA private key (PEM; one line with \\n escapes is fine)")
    jwt_verify_public_keys: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Extra public keys (PEM) still accepted while the signing key rotates"
    )
    jwt_issuer: str = "platform-gateway"
    jwt_audience: str = "platform-api"
    access_token_ttl_seconds: int = 15 * 60
    refresh_token_ttl_seconds: int = 7 * 24 * 3600
    allow_anonymous_jobs: bool = Field(True, description="POST /api/jobs without a token (reachable by id only)")
    secret_key: str = Field("", description="Signs the short-lived OAuth state cookie of Google login")
    trusted_proxy_count: int = Field(0, description="Proxies in front whose X-Forwarded-For to trust")
    operator_token: str = Field(
        "", description="Bearer secret for /api/health/detailed (compared in constant time); empty: nobody reads it"
    )

    # --- rate limits (Redis, shared by every worker and replica); `limits` syntax ---
    redis_url: str = "redis://127.0.0.1:6379/0"
    rate_limit_prefix: str = "gateway-ratelimit"
    rate_limit_login_per_ip: str = "30/minute"
    rate_limit_login_per_account: str = "10/minute"
    rate_limit_signup_per_ip: str = "20/hour"
    rate_limit_signature_verify_per_ip: str = Field(
        "30/minute", description="POST /api/signatures/verify (anonymous, decodes whole images) per client IP"
    )
    rate_limit_session_code_misses: str = Field(
        "30/minute",
        description="Session codes that name no session (join, QR, GET by code) per client IP, or per caller when "
        "signed in; once spent, every code lookup of theirs is 429 for the window",
    )

    # --- revocations (the notifier's push server) ---
    notifier_redis_prefix: str = Field(
        "notifier", description="The notifier's Redis prefix: revoked sessions are recorded there at once"
    )

    # --- Google login (OpenID Connect); off unless a client id is set ---
    google_client_id: str = ""
    google_client_secret: str = ""
    google_issuer: str = "https://accounts.google.com"
    google_redirect_uri: str = Field("", description="Default: this server's /api/auth/google/callback")
    google_allowed_redirect_uris: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Redirect URIs a front end may name when it posts a code it got itself (exact match; "
        "comma-separated); empty: front ends cannot post codes",
    )
    google_mobile_client_ids: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Client ids of the mobile apps whose Google ID tokens are accepted, besides GOOGLE_CLIENT_ID",
    )

    # --- payments and the token wallet ---
    token_price_won: int = Field(10, description="Price of one token when buying an amount rather than a package")
    max_prefer_wait_seconds: int = Field(10, description="Longest `Prefer: wait=N` honoured (RFC 7240)")
    idempotency_key_ttl_hours: int = Field(24, description="How long an Idempotency-Key's answer is kept")

    # --- style studio ---
    training_webhook_secrets: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="whsec_ secrets training servers may sign with (training webhooks only)"
    )
    inference_webhook_secrets: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="whsec_ secrets inference servers may sign with (inference webhooks only)"
    )
    style_upload_max_bytes: int = Field(
        256 * 1024 * 1024, description="Largest POST /api/styles body (MAX_BODY_BYTES does not apply to it)"
    )
    style_image_max_bytes: int = Field(10 * 1024 * 1024, description="Largest training image")
    style_image_min_side: int = Field(256, description="Training images narrower or lower than this are refused")
    style_image_max_side: int = Field(4096, description="Training images wider or higher than this are refused")
    style_training_epochs: int = Field(30, description="Epochs each TrainStyle asks for")
    artist_share_percent: int = Field(70, ge=0, le=100, description="Of the style's price, per completed generation")
    signature_key: str = Field("", description="Keys the invisible signature; the same as the llm-worker's")
    signature_verify_max_bytes: int = Field(
        11 * 1024 * 1024, description="Largest POST /api/signatures/verify body (MAX_BODY_BYTES does not apply)"
    )
    signature_verify_max_pixels: int = Field(
        4096 * 4096, ge=1, description="Largest image (width x height) verified, read from its header before decoding"
    )

    # --- live classroom sessions ---
    classroom_join_url: str = Field(
        "http://localhost:8000/join",
        description="The page (or Android app link) a session's QR code opens, with ?code=<session code> appended",
    )
    participant_token_ttl_seconds: int = Field(
        24 * 3600, ge=60, le=24 * 3600, description="How long a participant token (join by code) holds: a day at most"
    )
    screenshot_max_bytes: int = Field(5 * 1024 * 1024, ge=1024, description="Largest learner screenshot")
    android_app_packages: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Android apps that open this server's links (GET /.well-known/assetlinks.json); comma-separated",
    )
    android_app_sha256_fingerprints: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="SHA-256 fingerprints (AB:CD:...) of the certificates those apps are signed with; comma-separated",
    )

    _split = field_validator(
        "jobs_webhook_secrets",
        "payments_webhook_secrets",
        "notifier_webhook_secrets",
        "training_webhook_secrets",
        "inference_webhook_secrets",
        "jwt_verify_public_keys",
        "google_allowed_redirect_uris",
        "google_mobile_client_ids",
        "android_app_packages",
        "android_app_sha256_fingerprints",
        mode="before",
    )(split_list)

    @field_validator("android_app_sha256_fingerprints")
    @classmethod
    def _fingerprints(cls, values: list[str]) -> list[str]:
        """Each as Android prints it: 32 hex bytes, colon-separated, upper case (a typo fails at start-up)."""
        normalised = [value.upper() for value in values]
        malformed = [value for value in normalised if not SHA256_FINGERPRINT.fullmatch(value)]
        if malformed:
            raise ValueError(f"not a SHA-256 fingerprint (32 hex bytes, colon-separated): {malformed[0][:120]}")
        return normalised

    @field_validator("android_app_packages")
    @classmethod
    def _packages(cls, values: list[str]) -> list[str]:
        malformed = [value for value in values if not ANDROID_PACKAGE.fullmatch(value)]
        if malformed:
            raise ValueError(f"not an Android package name (com.example.app): {malformed[0][:120]}")
        return values

    @model_validator(mode="after")
    def _app_links_whole(self):
        if bool(self.android_app_packages) != bool(self.android_app_sha256_fingerprints):
            raise ValueError("ANDROID_APP_PACKAGES and ANDROID_APP_SHA256_FINGERPRINTS go together: both or neither")
        return self

    @model_validator(mode="after")
    def _secrets_outside_development(self):
        if self.app_env not in ("development", "test") and not self.jobs_webhook_secrets:
            raise ValueError("JOBS_WEBHOOK_SECRETS is required outside development")
        if self.google_client_id and not self.secret_key:
            raise ValueError("SECRET_KEY is required when Google login is configured")
        return self

    @model_validator(mode="after")
    def _media_url_secret(self):
        """The local store signs private files' URLs: MEDIA_URL_SECRET outside development; in development and
        tests a key derived from JWT_PRIVATE_KEY (the same on every replica) stands in when it is unset."""
        if self.media_url_secret or self.storage_backend != "local":
            return self
        if self.app_env not in ("development", "test"):
            raise ValueError("MEDIA_URL_SECRET is required outside development (it signs private media URLs)")
        if self.jwt_private_key:
            derived = hmac.new(self.jwt_private_key.encode(), b"media-url-secret", hashlib.sha256).hexdigest()
            self.media_url_secret = derived
        return self

    @property
    def psycopg_dsn(self) -> str:
        """The database URL for plain psycopg (the relay's LISTEN connection)."""
        return self.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
