"""publish_all (a batch of events, a few statements) records and routes exactly what publish_event does per event."""

import uuid
from datetime import UTC, datetime

import psycopg
import pytest

from gateway.notifications import events

FACTS = {"resume_title": "백엔드 이력서", "company": "Toss", "matching_rate": 67, "content_count": 4}


@pytest.fixture
def sql(database_url):
    def run(query: str, *params):
        with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    return run


def _recorded(sql, users: list[str], after: int) -> dict:
    """What the events of `users` left after outbox row `after`, without ids and clocks, in order."""
    messages = sql(
        "SELECT message_type, routing_key, payload FROM outbox WHERE id > %s AND (payload->>'user_id' = ANY(%s) "
        "OR payload->'payload'->'data'->>'id' LIKE 'subject-%%') ORDER BY id",
        after,
        users,
    )
    clean = []
    for kind, key, payload in messages:
        payload = {k: v for k, v in payload.items() if k not in ("id", "occurred_at", "event_id", "delivery_id")}
        if "notification_id" in payload:
            payload["notification_id"] = payload["notification_id"] is not None
        if kind == "DeliverWebhook":
            payload["payload"] = {k: v for k, v in payload["payload"].items() if k not in ("id", "timestamp")}
            payload.pop("first_attempt_at")
        clean.append((kind, key, payload))
    notifications = sql(
        "SELECT user_id::text, type, title, body, data FROM notifications WHERE user_id = ANY(%s::uuid[])", users
    )
    return {"messages": clean, "notifications": sorted(notifications)}


def test_a_batch_records_and_routes_what_publishing_each_event_does(app, alice, bob, sql):
    a, b = alice.user["id"], bob.user["id"]
    now = datetime.now(UTC)
    sql(
        "INSERT INTO notification_preferences (user_id, event_type, channel, enabled) VALUES "
        "(%s, 'resume_feedback.failed', 'in_app', false), (%s, 'resume_feedback.completed', 'email', true), "
        "(%s, 'resume_feedback.completed', 'realtime', false)",
        a,
        b,
        b,
    )
    sql(
        "INSERT INTO webhook_endpoints (id, user_id, url, description, event_types, secret, enabled, created_at, "
        "updated_at) VALUES (%s, %s, 'https://a.example.com/hook', '', ARRAY['resume_feedback.completed'], 'whsec_x', "
        "true, %s, %s), (%s, %s, 'https://a.example.com/off', '', ARRAY['resume_feedback.completed'], 'whsec_y', "
        "false, %s, %s)",
        uuid.uuid4(), a, now, now, uuid.uuid4(), a, now, now,
    )  # fmt: skip
    told = [
        (uuid.UUID(a), "resume_feedback.completed", FACTS, "subject-1"),
        (uuid.UUID(b), "resume_feedback.failed", {**FACTS, "reason": "late", "code": "x"}, "subject-2"),
        (uuid.UUID(a), "resume_feedback.failed", {**FACTS, "reason": "down", "code": "y"}, "subject-3"),
        (uuid.UUID(b), "resume_feedback.completed", FACTS, "subject-4"),
    ]
    db = app.extensions["gateway"].db

    start = sql("SELECT coalesce(max(id), 0) FROM outbox")[0][0]
    with db.uow() as session:
        for user_id, event_type, facts, subject_id in told:
            events.publish_event(session, user_id, event_type, facts, subject_id)
        session.commit()
    one_by_one = _recorded(sql, [a, b], start)
    sql("DELETE FROM notifications WHERE user_id = ANY(%s::uuid[])", [a, b])

    middle = sql("SELECT max(id) FROM outbox")[0][0]
    with db.uow() as session:
        events.publish_all(session, told)
        session.commit()
    batched = _recorded(sql, [a, b], middle)

    assert batched == one_by_one
    kinds = [kind for kind, _, _ in batched["messages"]]
    assert kinds == ["DomainEvent", "DeliverWebhook", "DomainEvent", "DomainEvent", "DomainEvent"]
    assert sorted((n[0], n[1]) for n in batched["notifications"]) == sorted(
        [(a, "resume_feedback.completed"), (b, "resume_feedback.failed"), (b, "resume_feedback.completed")]
    )
    emailed = [m[2]["email"] for m in batched["messages"] if m[0] == "DomainEvent"]
    assert emailed == [None, None, None, bob.user["email"]]
    assert sql("SELECT count(*) FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id "
               "WHERE e.user_id = %s", a)[0][0] == 2  # fmt: skip
