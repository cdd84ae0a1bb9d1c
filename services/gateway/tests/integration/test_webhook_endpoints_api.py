"""Customer webhook endpoints: registered safely, fed by events, their attempts recorded from the notifier."""

import json
import uuid
from datetime import UTC, datetime

import psycopg
import pytest

from gateway.app import create_app
from shared.webhooks import WebhookSigner

PUBLIC_URL = "https://93.184.215.14/hooks"  # a public address literal: no DNS needed in tests


@pytest.fixture
def outbox(database_url):
    def deliveries(endpoint_id: str) -> list[dict]:
        with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
            rows = conn.execute(
                "SELECT payload FROM outbox WHERE message_type = 'DeliverWebhook' AND payload->>'endpoint_id' = %s",
                (endpoint_id,),
            ).fetchall()
        return [r[0] for r in rows]

    return deliveries


def create(client, who, **body):
    return client.post(
        "/api/webhook-endpoints",
        json={"url": PUBLIC_URL, "event_types": ["job.completed"], **body},
        headers=who.headers,
    )


def report(client, secret: str, endpoint_id: str, reports: list[dict]):
    now = datetime.now(UTC).isoformat()
    events = [{"occurred_at": now, "endpoint_id": endpoint_id, **r} for r in reports]
    body = json.dumps({"events": events}).encode()
    return client.post(
        "/api/webhooks/notifier",
        data=body,
        headers=WebhookSigner(secret).headers(body),
        content_type="application/json",
    )


def test_register_shows_the_secret_once(client, alice):
    created = create(client, alice, description="CI")
    assert created.status_code == 201 and created.json["secret"].startswith("whsec_")
    listed = client.get("/api/webhook-endpoints", headers=alice.headers).json
    assert [e["id"] for e in listed] == [created.json["id"]] and "secret" not in listed[0]
    one = client.get(f"/api/webhook-endpoints/{created.json['id']}", headers=alice.headers).json
    assert one["enabled"] is True and one["event_types"] == ["job.completed"] and "secret" not in one


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:10.0.0.1]/hook",
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
        "http://[::127.0.0.1]/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://0.0.0.0:8000/",
        "http://localhost./hook",
        "http://api.localhost/hook",
        "ftp://93.184.215.14/file",
        "not a url",
        "https://user:pw@93.184.215.14/",
    ],
)
def test_unsafe_urls_are_refused_and_nothing_is_created(client, alice, url):
    response = create(client, alice, url=url)
    assert response.status_code == 422 and response.json["errors"][0]["pointer"] == "/url"
    assert client.get("/api/webhook-endpoints", headers=alice.headers).json == []


@pytest.mark.parametrize(
    "body",
    [{"event_types": ["party.started"]}, {"event_types": []}, {"event_types": "job.completed"}, {"url": 5}],
)
def test_bad_bodies_are_422(client, alice, body):
    assert create(client, alice, **body).status_code == 422
    assert client.get("/api/webhook-endpoints", headers=alice.headers).json == []


def test_loopback_is_allowed_when_the_setting_says_so(gateway_settings, alice):
    local = create_app(gateway_settings.model_copy(update={"webhook_allow_private_urls": True})).test_client()
    assert create(local, alice, url="http://127.0.0.1:9999/hook").status_code == 201


def test_another_users_endpoint_is_404_everywhere(client, alice, bob):
    endpoint = create(client, alice).json["id"]
    for method, path in [("GET", ""), ("DELETE", ""), ("POST", "/test"), ("GET", "/deliveries")]:
        response = client.open(f"/api/webhook-endpoints/{endpoint}{path}", method=method, headers=bob.headers)
        assert response.status_code == 404, (method, path)
    assert client.get(f"/api/webhook-endpoints/{endpoint}", headers=alice.headers).status_code == 200


def test_events_become_deliveries_and_attempts_are_recorded_once(client, alice, signed, outbox, payments_secret):
    endpoint = create(client, alice).json
    job = client.post("/api/jobs", json={"text": "Wear gloves."}, headers=alice.headers).json["event_id"]
    data = {"summary": "S", "checklist": ["a"], "provider": "local", "model": "m", "steps": []}
    now = datetime.now(UTC).isoformat()
    signed.post(
        [{"version": 1, "id": f"{job}:c", "type": "job.completed", "job_id": job, "occurred_at": now, "data": data}]
    )
    [command] = outbox(endpoint["id"])
    assert command["url"] == PUBLIC_URL and command["secret"] == endpoint["secret"]
    assert command["payload"]["type"] == "job.completed" and command["payload"]["data"]["id"] == job
    delivery = command["delivery_id"]

    attempt = {
        "type": "webhook.attempted",
        "data": {
            "delivery_id": delivery,
            "attempt": 1,
            "status_code": 503,
            "latency_ms": 40,
            "error": "HTTP 503",
            "outcome": "retrying",
        },
    }
    second = {
        "type": "webhook.attempted",
        "data": {
            "delivery_id": delivery,
            "attempt": 2,
            "status_code": 200,
            "latency_ms": 35,
            "error": None,
            "outcome": "delivered",
        },
    }
    report(client, payments_secret, endpoint["id"], [{"id": f"{delivery}:1", **attempt}])
    report(client, payments_secret, endpoint["id"], [{"id": f"{delivery}:1", **attempt}])  # redelivered report
    report(client, payments_secret, endpoint["id"], [{"id": f"{delivery}:2", **second}])
    [shown] = client.get(f"/api/webhook-endpoints/{endpoint['id']}/deliveries", headers=alice.headers).json
    assert shown["status"] == "delivered" and shown["event_type"] == "job.completed"
    assert [(a["attempt"], a["status_code"], a["outcome"]) for a in shown["attempts"]] == [
        (1, 503, "retrying"),
        (2, 200, "delivered"),
    ]


def test_gone_disables_the_endpoint_and_stops_deliveries(client, alice, signed, outbox, payments_secret):
    endpoint = create(client, alice).json
    report(
        client,
        payments_secret,
        endpoint["id"],
        [{"id": str(uuid.uuid4()), "type": "endpoint.disabled", "data": {"reason": "410 Gone"}}],
    )
    shown = client.get(f"/api/webhook-endpoints/{endpoint['id']}", headers=alice.headers).json
    assert shown["enabled"] is False and shown["disabled_reason"] == "410 Gone"
    notice = client.get("/api/notifications", headers=alice.headers).json["items"][0]
    assert notice["type"] == "endpoint.disabled" and PUBLIC_URL in notice["body"] and "410 Gone" in notice["body"]
    job = client.post("/api/jobs", json={"text": "x"}, headers=alice.headers).json["event_id"]
    now = datetime.now(UTC).isoformat()
    data = {"summary": "S", "checklist": [], "provider": "local", "model": "m", "steps": []}
    signed.post(
        [{"version": 1, "id": f"{job}:c", "type": "job.completed", "job_id": job, "occurred_at": now, "data": data}]
    )
    assert outbox(endpoint["id"]) == []


@pytest.mark.parametrize("reason", [410, {"status": 410}, ["Gone"]])
def test_a_disabled_report_whose_reason_is_not_text_is_refused(client, alice, payments_secret, reason):
    endpoint = create(client, alice).json
    disabled = {"id": str(uuid.uuid4()), "type": "endpoint.disabled", "data": {"reason": reason}}
    refused = report(client, payments_secret, endpoint["id"], [disabled])
    assert refused.status_code == 422 and refused.content_type == "application/problem+json"
    assert [e["pointer"] for e in refused.json["errors"]] == ["/events/0/data/reason"]
    assert client.get(f"/api/webhook-endpoints/{endpoint['id']}", headers=alice.headers).json["enabled"] is True


def test_the_test_button_sends_a_test_event(client, alice, outbox):
    endpoint = create(client, alice).json
    sent = client.post(f"/api/webhook-endpoints/{endpoint['id']}/test", headers=alice.headers)
    assert sent.status_code == 202 and sent.json["event_type"] == "webhook.test" and sent.json["status"] == "pending"
    assert [c["event_type"] for c in outbox(endpoint["id"])] == ["webhook.test"]


def test_delete_stops_everything(client, alice):
    endpoint = create(client, alice).json
    assert client.delete(f"/api/webhook-endpoints/{endpoint['id']}", headers=alice.headers).status_code == 204
    assert client.get(f"/api/webhook-endpoints/{endpoint['id']}", headers=alice.headers).status_code == 404


def test_notifier_reports_need_a_signature(client):
    response = client.post("/api/webhooks/notifier", json={"events": []})
    assert response.status_code == 401 and response.content_type == "application/problem+json"
