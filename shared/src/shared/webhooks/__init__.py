"""Standard Webhooks signing, verification and a reusable sender."""

from shared.webhooks.signing import (
    InvalidSignature,
    WebhookSigner,
    WebhookVerifier,
    generate_secret,
)

__all__ = ["InvalidSignature", "WebhookSigner", "WebhookVerifier", "generate_secret"]
