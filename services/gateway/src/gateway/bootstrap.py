"""The composition root: every dependency of the views, built once per app from the settings."""

import dataclasses
import functools

from gateway.accounts.closure import Eraser
from gateway.accounts.revocation_notice import RevocationNotice
from gateway.accounts.throttle import Throttle
from gateway.accounts.tokens import TokenService
from gateway.careers.closure import erase_account as erase_careers
from gateway.platform.db import Database
from gateway.platform.ratelimit import RateLimiter
from gateway.settings import GatewaySettings
from shared.storage import ObjectStore, build_store
from shared.webhooks import WebhookVerifier


@dataclasses.dataclass
class Deps:
    """What the views need, built once per app and handed to each blueprint as it is registered."""

    settings: GatewaySettings
    db: Database
    jobs_webhooks: WebhookVerifier | None
    payments_webhooks: WebhookVerifier | None
    notifier_webhooks: WebhookVerifier | None
    training_webhooks: WebhookVerifier | None
    inference_webhooks: WebhookVerifier | None
    store: ObjectStore
    tokens: TokenService
    throttle: Throttle
    revocations: RevocationNotice
    erasers: tuple[Eraser, ...]  # what other lines erase of an account that closes, in its transaction


def bootstrap(settings: GatewaySettings, database: Database | None = None) -> Deps:
    """Build the dependencies; nothing connects until a request needs it."""
    store = build_store(settings)
    return Deps(
        settings=settings,
        db=database or Database(settings.database_url, settings.db_pool_size),
        jobs_webhooks=_verifier(settings.jobs_webhook_secrets, settings),
        payments_webhooks=_verifier(settings.payments_webhook_secrets, settings),
        notifier_webhooks=_verifier(settings.notifier_webhook_secrets, settings),
        training_webhooks=_verifier(settings.training_webhook_secrets, settings),
        inference_webhooks=_verifier(settings.inference_webhook_secrets, settings),
        store=store,
        tokens=_token_service(settings),
        throttle=Throttle(
            RateLimiter(settings.redis_url, settings.rate_limit_prefix),
            settings.rate_limit_login_per_ip,
            settings.rate_limit_login_per_account,
            settings.rate_limit_signup_per_ip,
            settings.rate_limit_signature_verify_per_ip,
            settings.rate_limit_session_code_misses,
        ),
        revocations=RevocationNotice(settings.redis_url, settings.notifier_redis_prefix),
        erasers=(functools.partial(erase_careers, store),),
    )


def _verifier(secrets: list[str], settings: GatewaySettings) -> WebhookVerifier | None:
    return WebhookVerifier(secrets, settings.webhook_tolerance_seconds) if secrets else None


def _token_service(settings: GatewaySettings) -> TokenService:
    if not settings.jwt_private_key:
        raise RuntimeError("JWT_PRIVATE_KEY is not set: `make run` writes one to .env (see .env.example)")
    return TokenService(
        settings.jwt_private_key,
        settings.jwt_issuer,
        settings.jwt_audience,
        settings.access_token_ttl_seconds,
        settings.refresh_token_ttl_seconds,
        settings.jwt_verify_public_keys,
    )
