"""E-mail on the real broker and Redis: a real SMTP server (aiosmtpd), and the offline Maildir."""

import mailbox
import time
import uuid

import pytest
from notifier_stack import declare_fresh, domain_event, publish, redis_client, running, settings_for

from notifier.stream import StreamKeys


@pytest.fixture
def settings(amqp_url, redis_prefix, gateway, notifier_webhook_secret, smtp_server):
    declare_fresh(amqp_url)
    return settings_for(
        amqp_url,
        redis_prefix,
        gateway.url,
        notifier_webhook_secret,
        notifier_roles=["email"],
        smtp_host=smtp_server.hostname,
        smtp_port=smtp_server.port,
        mail_from="Platform <no-reply@platform.test>",
        app_url="https://app.platform.test",
    )


def stream_length(settings, user_id: str) -> int:
    keys = StreamKeys(settings.notifier_redis_prefix, 1000, 86400)
    return redis_client().xlen(keys.stream(user_id))


def test_an_event_with_an_address_is_emailed_through_smtp(settings, amqp_url, smtp_server):
    event = domain_event(str(uuid.uuid4()), email="kim@example.com", type="payment.paid", title="Payment received")
    with running(settings):
        publish(amqp_url, event)
        [message] = smtp_server.inbox.wait_for(1)

    assert message["Subject"] == "Payment received"
    assert message["To"] == "kim@example.com" and message["From"] == "Platform <no-reply@platform.test>"
    assert message["X-Event-Id"] == event.id
    text = message.get_content()
    assert event.body in text
    assert f"https://app.platform.test/notifications/{event.notification_id}" in text
    assert smtp_server.inbox.envelopes == [("no-reply@platform.test", ["kim@example.com"])]


def test_a_redelivered_event_sends_one_email_and_appends_once(settings, amqp_url, smtp_server):
    owner = str(uuid.uuid4())
    event = domain_event(owner, email="kim@example.com")
    with running(settings):
        message_id = publish(amqp_url, event)
        smtp_server.inbox.wait_for(1)
        publish(amqp_url, event, message_id=message_id)  # RabbitMQ hands the same message out again
        publish(amqp_url, event)  # and a copy under another message id
        time.sleep(1.5)

    assert len(smtp_server.inbox.with_event(event.id)) == 1
    assert stream_length(settings, owner) == 1


def test_simultaneous_copies_send_one_email(settings, amqp_url, smtp_server):
    event = domain_event(str(uuid.uuid4()), email="lee@example.com")
    with running(settings):
        for _ in range(4):
            publish(amqp_url, event, message_id="same")
        smtp_server.inbox.wait_for(1)
        time.sleep(1.5)
    assert len(smtp_server.inbox.with_event(event.id)) == 1


def test_without_an_address_no_email_is_sent_but_the_event_is_kept_for_push(settings, amqp_url, smtp_server):
    owner = str(uuid.uuid4())
    with running(settings):
        publish(amqp_url, domain_event(owner))
        assert _wait(lambda: stream_length(settings, owner) == 1)
    assert smtp_server.inbox.messages == []


def test_an_unreachable_smtp_server_is_retried_until_it_answers(settings, amqp_url, smtp_server):
    from notifier_smtp import free_port, start_smtp_server

    port = free_port()
    event = domain_event(str(uuid.uuid4()), email="park@example.com")
    with running(settings.model_copy(update={"smtp_port": port})):
        publish(amqp_url, event)
        time.sleep(0.3)  # the first attempt finds nobody listening and goes down the retry ladder
        with start_smtp_server(port) as late:
            [message] = late.inbox.wait_for(1)
    assert message["X-Event-Id"] == event.id


def test_the_offline_default_writes_to_a_maildir(amqp_url, redis_prefix, gateway, notifier_webhook_secret, tmp_path):
    declare_fresh(amqp_url)
    maildir = tmp_path / "var" / "maildir"
    settings = settings_for(
        amqp_url, redis_prefix, gateway.url, notifier_webhook_secret, notifier_roles=["email"], maildir=str(maildir)
    )
    event = domain_event(str(uuid.uuid4()), email="choi@example.com", title="Job failed")
    with running(settings):
        publish(amqp_url, event)
        assert _wait(lambda: list((maildir / "new").iterdir()))

    [message] = list(mailbox.Maildir(maildir, create=False))
    assert message["Subject"] == "Job failed" and message["X-Event-Id"] == event.id


def _wait(predicate, timeout: float = 15.0):
    from shared.testing import wait_until

    return wait_until(predicate, timeout)
