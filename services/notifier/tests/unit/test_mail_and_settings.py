"""E-mail composition, and the settings' checks."""

import pytest
from pydantic import ValidationError

from notifier.mail import compose, link_for
from notifier.settings import NotifierSettings
from shared.messages import DomainEvent


def event(**overrides) -> DomainEvent:
    fields = {
        "id": "0b7e5c1a-0000-4000-8000-000000000001",
        "type": "payment.paid",
        "user_id": "u1",
        "occurred_at": "2026-01-02T03:04:05+00:00",
        "title": "Payment received: 15,000 won",
        "body": "TOEIC 2026-03 is paid.",
        "notification_id": "n1",
        "email": "kim@example.com",
    }
    return DomainEvent(**(fields | overrides))


def test_the_email_says_what_the_notification_says_and_links_to_it():
    message = compose(event(), "Platform <no-reply@platform.test>", "https://app.platform.test/")
    assert message["Subject"] == "Payment received: 15,000 won"
    assert message["To"] == "kim@example.com"
    assert message.get_content() == "TOEIC 2026-03 is paid.\n\nhttps://app.platform.test/notifications/n1\n"
    assert "0b7e5c1a00004000800000000000000" in message["Message-ID"]


def test_the_link_prefers_the_events_own_url_and_falls_back_to_the_inbox():
    assert link_for(event(data={"url": "https://app.example/jobs/1"}), "https://a") == "https://app.example/jobs/1"
    assert link_for(event(data={"url": "javascript:alert(1)"}, notification_id=None), "https://a") == (
        "https://a/notifications"
    )


def settings(**values) -> NotifierSettings:
    return NotifierSettings(_env_file=None, **({"notifier_webhook_secret": "whsec_x"} | values))


def test_defaults_work_on_localhost():
    s = settings()
    assert s.bind == ("127.0.0.1", 8001)
    assert s.jwks_url == "http://127.0.0.1:8000/api/auth/jwks"
    assert s.notifier_roles == ["realtime", "email", "webhooks"]
    assert settings(notifier_jwks_url="off").jwks_url is None


@pytest.mark.parametrize(
    "values",
    [
        {"notifier_webhook_secret": ""},
        {"notifier_roles": "realtime,sms"},
        {"smtp_ssl": True, "smtp_starttls": True},
        {"app_env": "production", "webhook_allow_private_urls": True},
    ],
)
def test_bad_combinations_are_refused_at_start(values):
    with pytest.raises(ValidationError):
        settings(**values)


def test_the_secret_is_only_needed_for_the_webhooks_role():
    assert settings(notifier_webhook_secret="", notifier_roles="realtime,email").notifier_roles == ["realtime", "email"]
