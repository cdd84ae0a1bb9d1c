"""Outbound customer webhooks on the real broker and Redis, to real HTTP endpoints, reported to a gateway stand-in."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from notifier_receivers import Reply
from notifier_stack import (
    declare_fresh,
    deliver_webhook,
    publish,
    redis_client,
    running,
    settings_for,
    take,
)

from notifier.handlers.deliver_webhook import webhook_id
from shared.messages import DeliverWebhook
from shared.messages.base import decode
from shared.webhooks import WebhookVerifier


@pytest.fixture
def settings(amqp_url, redis_prefix, gateway, notifier_webhook_secret):
    declare_fresh(amqp_url)
    return settings_for(amqp_url, redis_prefix, gateway.url, notifier_webhook_secret, notifier_roles=["webhooks"])


@pytest.fixture
def notifier(settings):
    with running(settings) as service:
        yield service


def test_a_delivery_is_signed_the_standard_webhooks_way_and_reported(notifier, amqp_url, customer, gateway):
    command = deliver_webhook(customer.script("/hooks/ok", Reply(200)))
    publish(amqp_url, command)
    [attempt] = gateway.wait_for_attempts(command.delivery_id, 1)

    [request] = customer.requests_to("/hooks/ok")
    assert WebhookVerifier([command.secret]).verify(request.body, request.headers) == webhook_id(command.delivery_id)
    assert request.headers["webhook-id"] == "msg_" + command.delivery_id.replace("-", "")
    assert json.loads(request.body) == command.payload
    assert request.headers["content-type"] == "application/json"
    assert attempt["id"] == f"{command.delivery_id}:1" and attempt["endpoint_id"] == command.endpoint_id
    data = attempt["data"]
    assert data["outcome"] == "delivered" and data["status_code"] == 200 and data["error"] is None
    assert (data["event_id"], data["event_type"], data["attempt"]) == (command.event_id, "payment.paid", 1)
    assert isinstance(data["latency_ms"], int)
    assert gateway.rejected_signatures == 0


def test_failures_are_retried_through_the_broker_with_the_same_webhook_id(notifier, amqp_url, customer, gateway):
    url = customer.script("/hooks/flaky", Reply(500), Reply(502), Reply(200))
    command = deliver_webhook(url)
    publish(amqp_url, command)
    attempts = gateway.wait_for_outcome(command.delivery_id, {"delivered"})

    assert [a["data"]["outcome"] for a in attempts] == ["retrying", "retrying", "delivered"]
    assert [a["data"]["status_code"] for a in attempts] == [500, 502, 200]
    assert [a["data"]["attempt"] for a in attempts] == [1, 2, 3]
    assert attempts[0]["data"]["error"].startswith("HTTP 500")
    assert all(0 < a["data"]["next_attempt_in_ms"] <= 300 for a in attempts[:2])  # the test schedule, jittered
    requests = customer.requests_to("/hooks/flaky")
    assert len(requests) == 3 and len({r.headers["webhook-id"] for r in requests}) == 1
    verifier = WebhookVerifier([command.secret])
    assert {verifier.verify(r.body, r.headers) for r in requests} == {webhook_id(command.delivery_id)}


def test_with_private_urls_allowed_a_private_endpoints_answer_is_never_quoted(notifier, amqp_url, customer, gateway):
    failing = deliver_webhook(customer.script("/hooks/secret-page", Reply(500)))
    moved = deliver_webhook(customer.script("/hooks/moved", Reply(302, {"location": "http://169.254.169.254/"})))
    publish(amqp_url, failing)
    publish(amqp_url, moved)
    first = gateway.wait_for_attempts(failing.delivery_id, 1)[0]["data"]
    redirected = gateway.wait_for_attempts(moved.delivery_id, 1)[0]["data"]

    assert first["status_code"] == 500 and first["error"].startswith("HTTP 500") and "true" not in first["error"]
    assert redirected["status_code"] == 302 and "169.254" not in redirected["error"]
    assert len(customer.requests_to("/hooks/moved")) == 1  # the redirect was not followed


def test_retry_after_is_honoured_as_the_scheduled_delay(notifier, amqp_url, customer, gateway):
    command = deliver_webhook(customer.script("/hooks/busy", Reply(429, {"Retry-After": "90"})))
    publish(amqp_url, command)
    [attempt] = gateway.wait_for_attempts(command.delivery_id, 1)

    assert attempt["data"]["outcome"] == "retrying" and attempt["data"]["next_attempt_in_ms"] == 90_000
    # The next attempt waits in the broker (the 2 min bucket, expiring after 90 s), not in a thread.
    [(props, body)] = take(amqp_url, "notifier.webhooks.delay.2m")
    following = decode(DeliverWebhook, body)
    assert props.expiration == "90000" and following.attempt == 2
    assert following.delivery_id == command.delivery_id and following.first_attempt_at
    assert len(customer.requests_to("/hooks/busy")) == 1


def test_410_gone_disables_the_endpoint_and_stops(notifier, amqp_url, customer, gateway):
    command = deliver_webhook(customer.script("/hooks/gone", Reply(410)))
    publish(amqp_url, command)
    [attempt] = gateway.wait_for_attempts(command.delivery_id, 1)
    gateway.wait(lambda: gateway.disabled(command.endpoint_id))
    time.sleep(1.0)

    assert attempt["data"]["outcome"] == "gone" and attempt["data"]["status_code"] == 410
    [disabled] = gateway.disabled(command.endpoint_id)
    assert "410" in disabled["data"]["reason"]
    assert len(customer.requests_to("/hooks/gone")) == 1
    assert len(gateway.attempts(command.delivery_id)) == 1


def test_the_schedule_is_bounded_then_the_delivery_fails(notifier, amqp_url, customer, gateway):
    command = deliver_webhook(customer.script("/hooks/down", Reply(503)))
    publish(amqp_url, command)
    attempts = gateway.wait_for_outcome(command.delivery_id, {"failed"})

    assert [a["data"]["outcome"] for a in attempts] == ["retrying"] * 3 + ["failed"]  # 3 retries in the test schedule
    assert "next_attempt_in_ms" not in attempts[-1]["data"]
    time.sleep(1.0)
    assert len(customer.requests_to("/hooks/down")) == 4


def test_an_endpoint_failing_for_days_is_disabled(notifier, settings, amqp_url, customer, gateway):
    command = deliver_webhook(customer.script("/hooks/broken", Reply(500)))
    six_days_ago = (datetime.now(UTC) - timedelta(days=6)).isoformat()
    redis_client().set(f"{settings.notifier_redis_prefix}:failing:{command.endpoint_id}", six_days_ago)
    publish(amqp_url, command)
    [attempt] = gateway.wait_for_attempts(command.delivery_id, 1)
    gateway.wait(lambda: gateway.disabled(command.endpoint_id))

    assert attempt["data"]["outcome"] == "failed"
    [disabled] = gateway.disabled(command.endpoint_id)
    assert six_days_ago in disabled["data"]["reason"]


def test_a_success_ends_the_endpoints_failing_streak(notifier, settings, amqp_url, customer, gateway):
    command = deliver_webhook(customer.script("/hooks/recovered", Reply(200)))
    key = f"{settings.notifier_redis_prefix}:failing:{command.endpoint_id}"
    redis_client().set(key, (datetime.now(UTC) - timedelta(days=1)).isoformat())
    publish(amqp_url, command)
    gateway.wait_for_attempts(command.delivery_id, 1)
    assert redis_client().get(key) is None


def test_a_slow_endpoint_does_not_delay_a_delivery_to_a_fast_one(notifier, amqp_url, customer, gateway):
    slow = deliver_webhook(customer.script("/hooks/slow", Reply(200, delay=30)))
    fast = deliver_webhook(customer.script("/hooks/fast", Reply(200)))
    publish(amqp_url, slow)
    customer.wait_for_requests("/hooks/slow", 1)
    started = time.monotonic()
    publish(amqp_url, fast)
    [delivered] = gateway.wait_for_attempts(fast.delivery_id, 1)
    fast_took = time.monotonic() - started

    assert delivered["data"]["outcome"] == "delivered"
    assert fast_took < 5  # generous: the slow endpoint holds one delivery thread for up to 10 s
    assert customer.finished.get("/hooks/slow", 0) == 0  # still waiting on the slow one
    [timed_out] = gateway.wait_for_attempts(slow.delivery_id, 1, timeout=30)
    assert timed_out["data"]["outcome"] == "retrying" and "no answer within 10 s" in timed_out["data"]["error"]


def test_a_redelivered_attempt_is_posted_once_and_reported_again(notifier, amqp_url, customer, gateway):
    command = deliver_webhook(customer.script("/hooks/once", Reply(200)))
    message_id = publish(amqp_url, command)
    gateway.wait_for_attempts(command.delivery_id, 1)
    publish(amqp_url, command, message_id=message_id)
    gateway.wait(lambda: len([r for r in gateway.reports if r["id"] == f"{command.delivery_id}:1"]) >= 2)

    assert len(customer.requests_to("/hooks/once")) == 1
    assert len(gateway.attempts(command.delivery_id)) == 1


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:{port}/hooks/private", "not a public address"),
        ("http://localhost:{port}/hooks/private", "not a public address"),
        ("http://[::ffff:127.0.0.1]:{port}/hooks/private", "not a public address"),
        ("http://169.254.169.254/latest/meta-data", "not a public address"),
        ("http://10.1.2.3/hooks", "not a public address"),
        ("ftp://example.com/hooks", "only http and https"),
    ],
)
def test_private_addresses_and_other_schemes_are_refused_unless_allowed(
    amqp_url, redis_prefix, gateway, notifier_webhook_secret, customer, url, why
):
    declare_fresh(amqp_url)
    settings = settings_for(
        amqp_url,
        redis_prefix,
        gateway.url,
        notifier_webhook_secret,
        notifier_roles=["webhooks"],
        webhook_allow_private_urls=False,
    )
    port = customer.url.rsplit(":", 1)[1]
    command = deliver_webhook(url.format(port=port))
    with running(settings):
        publish(amqp_url, command)
        [attempt] = gateway.wait_for_attempts(command.delivery_id, 1)
    assert attempt["data"]["outcome"] == "failed" and why in attempt["data"]["error"]
    assert attempt["data"]["status_code"] is None
    assert customer.received == []
