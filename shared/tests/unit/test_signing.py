"""Standard Webhooks signing: interoperable with the reference implementation, strict on bad input."""

import base64
import json
import time
from datetime import UTC, datetime

import pytest
import standardwebhooks

from shared.webhooks import InvalidSignature, WebhookSigner, WebhookVerifier, generate_secret

BODY = json.dumps({"events": [{"id": "e1", "text": "안녕하세요"}]}, ensure_ascii=False).encode()


def test_generated_secrets_have_the_prefix_and_32_bytes():
    secret = generate_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32


def test_our_signature_verifies_with_the_reference_library():
    secret = generate_secret()
    headers = WebhookSigner(secret).headers(BODY)
    assert standardwebhooks.Webhook(secret).verify(BODY, headers) == json.loads(BODY)


def test_the_reference_librarys_signature_verifies_with_ours():
    secret = generate_secret()
    now = int(time.time())
    signature = standardwebhooks.Webhook(secret).sign("msg_1", datetime.fromtimestamp(now, UTC), BODY.decode())
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(now), "webhook-signature": signature}
    assert WebhookVerifier([secret]).verify(BODY, headers) == "msg_1"


def test_any_of_several_secrets_and_any_of_several_signatures():
    old, new = generate_secret(), generate_secret()
    headers = WebhookSigner(old).headers(BODY)
    assert WebhookVerifier([new, old]).verify(BODY, headers)
    headers["webhook-signature"] = "v2,zzz v1,bm90LWl0 " + headers["webhook-signature"]
    assert WebhookVerifier([new, old]).verify(BODY, headers)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda h: h.pop("webhook-id"),
        lambda h: h.pop("webhook-timestamp"),
        lambda h: h.pop("webhook-signature"),
        lambda h: h.update({"webhook-signature": "garbage"}),
        lambda h: h.update({"webhook-signature": "v1,not base64!"}),
        lambda h: h.update({"webhook-signature": "v1,"}),
        lambda h: h.update({"webhook-timestamp": "12.5x"}),
        lambda h: h.update({"webhook-timestamp": "9" * 400}),  # int() took it; the clock comparison overflowed
        lambda h: h.update({"webhook-timestamp": "9" * 5000}),
        lambda h: h.update({"webhook-timestamp": "-1"}),
        lambda h: h.update({"webhook-timestamp": " " + h["webhook-timestamp"]}),
        lambda h: h.update({"webhook-timestamp": h["webhook-timestamp"][:5] + "_" + h["webhook-timestamp"][5:]}),
        lambda h: h.update({"webhook-timestamp": "\u0661" * 10}),  # Arabic-Indic digits: int() reads them
        lambda h: h.update({"webhook-timestamp": str(int(time.time()) - 301)}),
        lambda h: h.update({"webhook-timestamp": str(int(time.time()) + 301)}),
        lambda h: h.update({"webhook-id": "another"}),
        lambda h: h.update({"webhook-id": "x" * 300}),
    ],
)
def test_anything_off_raises_invalid_signature(mutate):
    secret = generate_secret()
    headers = WebhookSigner(secret).headers(BODY)
    mutate(headers)
    with pytest.raises(InvalidSignature):
        WebhookVerifier([secret]).verify(BODY, headers)


def test_a_changed_body_does_not_verify():
    secret = generate_secret()
    headers = WebhookSigner(secret).headers(BODY)
    with pytest.raises(InvalidSignature):
        WebhookVerifier([secret]).verify(BODY + b" ", headers)


def test_tolerance_is_configurable():
    secret = generate_secret()
    headers = WebhookSigner(secret).headers(BODY, timestamp=int(time.time()) - 20)
    assert WebhookVerifier([secret], tolerance_seconds=30).verify(BODY, headers)
    with pytest.raises(InvalidSignature):
        WebhookVerifier([secret], tolerance_seconds=10).verify(BODY, headers)


@pytest.mark.parametrize("secret", ["", "whsec_", "whsec_%%%", "whsec_" + base64.b64encode(b"short").decode()])
def test_bad_secrets_are_refused_at_start(secret):
    with pytest.raises(ValueError):
        WebhookVerifier([secret])


def test_no_secrets_is_refused():
    with pytest.raises(ValueError):
        WebhookVerifier([])
