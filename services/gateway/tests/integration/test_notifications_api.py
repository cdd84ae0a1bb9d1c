"""The in-app inbox, preferences, and what a domain event records and routes (through the outbox)."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from shared.webhooks import WebhookSigner


@pytest.fixture
def sql(database_url):
    def run(query: str, *params):
        with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    return run


def pay(client, secret: str, who, sql, price: int = 20_000) -> str:
    """Apply for a fresh exam and have the payments service report it paid: a payment.paid event for `who`."""
    now = datetime.now(UTC)
    exam = sql(
        "INSERT INTO tests (title, description, price, start_at, end_at) VALUES (%s, '', %s, %s, %s) RETURNING id",
        "Korean history",
        price,
        now - timedelta(days=1),
        now + timedelta(days=1),
    )[0][0]
    payment = client.post(
        f"/api/tests/{exam}/apply", json={"amount": price, "payment_method": "card"}, headers=who.headers
    ).json["payment"]["id"]
    event = {
        "id": f"{payment}:paid",
        "type": "payment.paid",
        "payment_id": payment,
        "occurred_at": now.isoformat(),
        "data": {"provider_transaction_id": "tx"},
    }
    body = json.dumps({"events": [event]}).encode()
    client.post(
        "/api/webhooks/payments",
        data=body,
        headers=WebhookSigner(secret).headers(body),
        content_type="application/json",
    )
    return payment


def test_a_paid_payment_lands_in_the_inbox_once_and_goes_out_as_an_event(client, alice, sql, payments_secret):
    payment = pay(client, payments_secret, alice, sql)
    inbox = client.get("/api/notifications", headers=alice.headers).json
    assert inbox["unread_count"] == 1 and inbox["total"] == 1
    note = inbox["items"][0]
    assert (note["type"], note["title"], note["read"]) == ("payment.paid", "Payment received", False)
    assert "20,000 won" in note["body"] and note["data"]["id"] == payment
    events = sql(
        "SELECT routing_key, payload FROM outbox WHERE message_type = 'DomainEvent' AND payload->>'user_id' = %s",
        alice.user["id"],
    )
    assert [(key, p["email"], p["notification_id"]) for key, p in events] == [
        ("payment.paid", alice.user["email"], note["id"])  # receipts are e-mailed by default
    ]


def test_read_one_read_all_and_the_unread_filter(client, alice, bob, sql, payments_secret):
    for _ in range(3):
        pay(client, payments_secret, alice, sql)
    first = client.get("/api/notifications", headers=alice.headers).json["items"][0]
    assert client.post(f"/api/notifications/{first['id']}/read", headers=bob.headers).status_code == 404
    read = client.post(f"/api/notifications/{first['id']}/read", headers=alice.headers)
    assert read.status_code == 200 and read.json["read"] is True
    unread = client.get("/api/notifications?unread=true", headers=alice.headers).json
    assert unread["total"] == 2 and unread["unread_count"] == 2
    assert client.post("/api/notifications/read-all", headers=alice.headers).json == {"updated": 2}
    assert client.get("/api/notifications", headers=alice.headers).json["unread_count"] == 0
    assert client.get("/api/notifications", headers=bob.headers).json["total"] == 0
    for bad in ("nope", str(uuid.uuid4())):
        assert client.post(f"/api/notifications/{bad}/read", headers=alice.headers).status_code == 404


def test_preferences_default_change_and_route(client, alice, sql, payments_secret):
    prefs = {
        p["event_type"]: p
        for p in client.get("/api/me/notification-preferences", headers=alice.headers).json["preferences"]
    }
    assert prefs["payment.paid"] == {"event_type": "payment.paid", "in_app": True, "realtime": True, "email": True}
    assert prefs["job.completed"]["email"] is False
    body = {"preferences": [{"event_type": "payment.paid", "in_app": False, "email": False}]}
    changed = client.put("/api/me/notification-preferences", json=body, headers=alice.headers)
    assert changed.status_code == 200
    paid = next(p for p in changed.json["preferences"] if p["event_type"] == "payment.paid")
    assert paid == {"event_type": "payment.paid", "in_app": False, "realtime": True, "email": False}
    pay(client, payments_secret, alice, sql)
    assert client.get("/api/notifications", headers=alice.headers).json["total"] == 0
    event = sql(
        "SELECT payload FROM outbox WHERE message_type = 'DomainEvent' AND payload->>'user_id' = %s", alice.user["id"]
    )[0][0]
    assert event["email"] is None and event["notification_id"] is None and event["realtime"] is True


def test_an_event_type_named_twice_takes_the_later_choice(client, alice):
    body = {
        "preferences": [
            {"event_type": "payment.paid", "in_app": False, "email": False},
            {"event_type": "payment.paid", "email": True, "realtime": False},
        ]
    }
    changed = client.put("/api/me/notification-preferences", json=body, headers=alice.headers)
    assert changed.status_code == 200, changed.json
    paid = next(p for p in changed.json["preferences"] if p["event_type"] == "payment.paid")
    assert paid == {"event_type": "payment.paid", "in_app": False, "realtime": False, "email": True}


@pytest.mark.parametrize(
    "body",
    [
        {"preferences": [{"event_type": "party.started", "email": True}]},
        {"preferences": [{"event_type": "payment.paid", "email": "yes please"}]},
        {"preferences": [{"event_type": "payment.paid", "email": 0}]},  # a JSON boolean, not a number or a word
        {"preferences": [{"event_type": "payment.paid", "realtime": 1}]},
        {"preferences": [{"event_type": "payment.paid", "in_app": "false"}]},
        {"preferences": [{"email": True}]},
        {"preferences": "all"},
        {},
    ],
)
def test_bad_preferences_are_422_and_change_nothing(client, alice, body):
    before = client.get("/api/me/notification-preferences", headers=alice.headers).json
    response = client.put("/api/me/notification-preferences", json=body, headers=alice.headers)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert client.get("/api/me/notification-preferences", headers=alice.headers).json == before


def test_job_outcomes_notify_the_owner_only(client, alice, signed, sql):
    job = client.post("/api/jobs", json={"text": "Wear a helmet."}, headers=alice.headers).json["event_id"]
    anonymous = client.post("/api/jobs", json={"text": "Wear a helmet."}).json["event_id"]
    now = datetime.now(UTC).isoformat()
    data = {"summary": "S", "checklist": ["a", "b"], "provider": "local", "model": "m", "steps": []}
    events = [
        {"version": 1, "id": f"{j}:{k}", "type": t, "job_id": j, "occurred_at": now, "data": d}
        for j in (job, anonymous)
        for k, t, d in ((1, "job.processing", {}), (2, "job.completed", data))
    ]
    signed.post(events)
    types = [n["type"] for n in client.get("/api/notifications", headers=alice.headers).json["items"]]
    assert types == ["job.completed", "job.processing"]
    owners = sql(
        "SELECT DISTINCT payload->>'user_id' FROM outbox WHERE message_type = 'DomainEvent' "
        "AND payload->'data'->>'id' IN (%s, %s)",
        job,
        anonymous,
    )
    assert owners == [(alice.user["id"],)]
