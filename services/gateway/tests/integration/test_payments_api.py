"""Applying, enrolling, paying, completing and cancelling, with the payments service's reports signed by hand."""

import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from shared.webhooks import WebhookSigner

PRICE = 45_000


class Db:
    def __init__(self, dsn: str):
        self.dsn = dsn

    def one(self, sql: str, *params):
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            return conn.execute(sql, params).fetchone()

    def item(self, table: str, price: int = PRICE, opens: int = -1, closes: int = 30) -> int:
        now = datetime.now(UTC)
        return self.one(
            f"INSERT INTO {table} (title, description, price, start_at, end_at) "
            "VALUES (%s, '', %s, %s, %s) RETURNING id",
            f"{table} {uuid.uuid4().hex[:6]}",
            price,
            now + timedelta(days=opens),
            now + timedelta(days=closes),
        )[0]

    def payments_of(self, user_id: str) -> int:
        return self.one("SELECT count(*) FROM payments WHERE user_id = %s", user_id)[0]

    def outbox(self, message_type: str, payment_id: str) -> int:
        return self.one(
            "SELECT count(*) FROM outbox WHERE message_type = %s AND payload->>'payment_id' = %s",
            message_type,
            payment_id,
        )[0]


class PaymentsService:
    """Posts the payments service's signed outcome reports."""

    def __init__(self, client, secret: str):
        self.client, self.signer = client, WebhookSigner(secret)

    def report(self, payment_id: str, kind: str, webhook_id: str | None = None, **data):
        event = {
            "id": f"{payment_id}:{kind}",
            "type": f"payment.{kind}",
            "payment_id": payment_id,
            "occurred_at": datetime.now(UTC).isoformat(),
            "data": data,
        }
        body = json.dumps({"events": [event]}).encode()
        headers = self.signer.headers(body, webhook_id)
        return self.client.post("/api/webhooks/payments", data=body, headers=headers, content_type="application/json")

    def paid(self, payment_id: str, **kw):
        return self.report(payment_id, "paid", provider="sandbox", provider_transaction_id=f"tx-{payment_id[:8]}", **kw)


@pytest.fixture
def db(database_url):
    return Db(database_url.replace("+psycopg", ""))


@pytest.fixture
def provider(client, payments_secret):
    return PaymentsService(client, payments_secret)


def apply(client, who, exam: int, amount=PRICE, method="card", **headers):
    body = {"amount": amount, "payment_method": method}
    return client.post(f"/api/tests/{exam}/apply", json=body, headers={**who.headers, **headers})


def test_apply_records_a_pending_payment_and_a_charge_command(client, alice, db):
    exam = db.item("tests")
    response = apply(client, alice, exam)
    assert response.status_code == 202, response.json
    payment = response.json["payment"]
    assert response.headers["Location"] == f"/api/payments/{payment['id']}"
    assert (payment["status"], payment["amount"], payment["item_price"]) == ("pending", PRICE, PRICE)
    assert response.json["registration"]["status"] == "applied"
    assert db.outbox("ChargePayment", payment["id"]) == 1
    assert db.one("SELECT registration_count FROM tests WHERE id = %s", exam)[0] == 1


def test_paid_then_completed_then_cancel_is_409(client, alice, db, provider):
    exam = db.item("tests")
    payment = apply(client, alice, exam).json["payment"]
    assert provider.paid(payment["id"]).json["results"][0]["result"] == "applied"
    shown = client.get(f"/api/payments/{payment['id']}", headers=alice.headers).json
    assert shown["status"] == "paid" and shown["provider_transaction_id"]
    completed = client.post(f"/api/tests/{exam}/complete", headers=alice.headers)
    assert completed.status_code == 200 and completed.json["status"] == "completed"
    cancel = client.post(
        f"/api/payments/{payment['id']}/cancel", json={"reason": "changed my mind"}, headers=alice.headers
    )
    assert cancel.status_code == 409 and db.outbox("RefundPayment", payment["id"]) == 0


def test_cancel_refunds_once_and_frees_the_seat(client, alice, db, provider):
    course = db.item("courses")
    enrol = {"amount": PRICE, "payment_method": "kakaopay"}
    payment = client.post(f"/api/courses/{course}/enroll", json=enrol, headers=alice.headers).json["payment"]
    assert (
        client.post(f"/api/payments/{payment['id']}/cancel", json={"reason": "x"}, headers=alice.headers).status_code
        == 409
    )
    provider.paid(payment["id"])
    first = client.post(f"/api/payments/{payment['id']}/cancel", json={"reason": "moving away"}, headers=alice.headers)
    again = client.post(f"/api/payments/{payment['id']}/cancel", json={"reason": "moving away"}, headers=alice.headers)
    assert (first.status_code, again.status_code) == (202, 409)
    assert db.outbox("RefundPayment", payment["id"]) == 1
    provider.report(payment["id"], "refunded", provider_transaction_id="tx")
    assert client.get(f"/api/payments/{payment['id']}", headers=alice.headers).json["status"] == "cancelled"
    assert db.one("SELECT registration_count FROM courses WHERE id = %s", course)[0] == 0
    assert client.post(f"/api/courses/{course}/enroll", json=enrol, headers=alice.headers).status_code == 202


def test_a_decline_cancels_the_registration_and_allows_a_new_attempt(client, alice, db, provider):
    exam = db.item("tests")
    payment = apply(client, alice, exam).json["payment"]
    provider.report(payment["id"], "failed", reason="card declined", code="declined")
    shown = client.get(f"/api/payments/{payment['id']}", headers=alice.headers).json
    assert shown["status"] == "failed" and "declined" in shown["failure_reason"]
    assert apply(client, alice, exam).status_code == 202
    assert db.payments_of(alice.user["id"]) == 2


def test_prefer_wait_answers_201_once_paid_and_402_when_declined(client, alice, db, provider):
    def report_soon(kind: str):
        def run():
            for _ in range(100):
                row = db.one("SELECT id FROM payments WHERE user_id = %s AND status = 'pending'", alice.user["id"])
                if row:
                    provider.report(str(row[0]), kind, **({"provider_transaction_id": "tx"} if kind == "paid" else {}))
                    return
                threading.Event().wait(0.05)

        threading.Thread(target=run).start()

    report_soon("paid")
    paid = apply(client, alice, db.item("tests"), Prefer="wait=5")
    assert paid.status_code == 201 and paid.headers["Preference-Applied"] == "wait=5"
    assert paid.json["payment"]["status"] == "paid"
    report_soon("failed")
    declined = apply(client, alice, db.item("tests"), Prefer="wait=5")
    assert declined.status_code == 402 and declined.content_type == "application/problem+json"
    timed_out = apply(client, alice, db.item("tests"), Prefer="wait=1")
    assert timed_out.status_code == 202 and timed_out.json["payment"]["status"] == "pending"


def test_a_free_item_registers_at_once_without_a_payment(client, alice, db):
    response = apply(client, alice, db.item("tests", price=0), amount=0)
    assert response.status_code == 201 and response.json["payment"] is None
    assert db.payments_of(alice.user["id"]) == 0


@pytest.mark.parametrize("same_key", [False, True], ids=["no key", "same key"])
def test_a_hundred_concurrent_applications_make_one_registration_and_one_charge(app, alice, db, same_key):
    exam = db.item("tests")
    key = {"Idempotency-Key": f'"{uuid.uuid4()}"'} if same_key else {}

    def attempt(_):
        return apply(app.test_client(), alice, exam, **key).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(attempt, range(100)))
    assert all(status in (202, 409) for status in answers), answers
    assert db.one("SELECT count(*) FROM test_registrations WHERE test_id = %s", exam)[0] == 1
    assert db.payments_of(alice.user["id"]) == 1
    charges = db.one(
        "SELECT count(*) FROM outbox WHERE message_type = 'ChargePayment' AND payload->>'user_id' = %s",
        alice.user["id"],
    )[0]
    assert charges == 1 and db.one("SELECT registration_count FROM tests WHERE id = %s", exam)[0] == 1


def test_idempotency_key_replays_the_answer_and_refuses_another_body(client, alice, db):
    exam, key = db.item("tests"), str(uuid.uuid4())
    first = apply(client, alice, exam, **{"Idempotency-Key": key})
    replay = apply(client, alice, exam, **{"Idempotency-Key": key})
    assert (first.status_code, replay.status_code) == (202, 202)
    assert replay.json == first.json and replay.headers["Idempotent-Replayed"] == "true"
    assert replay.headers["Location"] == first.headers["Location"]
    other = apply(client, alice, exam, method="kakaopay", **{"Idempotency-Key": key})
    assert other.status_code == 422 and other.content_type == "application/problem+json"
    assert db.payments_of(alice.user["id"]) == 1


def test_keys_belong_to_their_user(client, alice, bob, db):
    exam, key = db.item("tests"), str(uuid.uuid4())
    assert apply(client, alice, exam, **{"Idempotency-Key": key}).status_code == 202
    assert apply(client, bob, exam, **{"Idempotency-Key": key}).status_code == 202  # bob's own application


@pytest.mark.parametrize(
    "body, status",
    [
        ({"amount": -1, "payment_method": "card"}, 422),
        ({"amount": "abc", "payment_method": "card"}, 422),
        ({"amount": "45000", "payment_method": "card"}, 422),
        ({"amount": 45000.5, "payment_method": "card"}, 422),
        ({"amount": PRICE, "payment_method": "bitcoin"}, 422),
        ({"amount": PRICE}, 422),
        ({"payment_method": "card"}, 422),
        ({"amount": PRICE - 1, "payment_method": "card"}, 422),
        ({"amount": PRICE, "payment_method": "card", "discount": 1}, 422),
    ],
)
def test_bad_applications_create_nothing(client, alice, db, body, status):
    exam = db.item("tests")
    response = client.post(f"/api/tests/{exam}/apply", json=body, headers=alice.headers)
    assert response.status_code == status and response.content_type == "application/problem+json"
    assert db.payments_of(alice.user["id"]) == 0
    assert db.one("SELECT count(*) FROM test_registrations WHERE test_id = %s", exam)[0] == 0


def test_outside_the_window_and_unknown_items(client, alice, db):
    future = db.item("tests", opens=5, closes=10)
    past = db.item("tests", opens=-10, closes=-5)
    for exam in (future, past):
        response = apply(client, alice, exam)
        assert response.status_code == 422 and "window" in response.json["detail"]
    for exam in ("999999999", "abc", "-1", "1" * 30):
        assert apply(client, alice, exam).status_code == 404
    assert db.payments_of(alice.user["id"]) == 0


def test_other_users_payments_are_404(client, alice, bob, db):
    payment = apply(client, alice, db.item("tests")).json["payment"]
    assert client.get(f"/api/payments/{payment['id']}", headers=bob.headers).status_code == 404
    cancel = client.post(f"/api/payments/{payment['id']}/cancel", json={"reason": "x"}, headers=bob.headers)
    assert cancel.status_code == 404
    assert client.get("/api/me/payments", headers=bob.headers).json["total"] == 0
    assert client.post(f"/api/tests/{payment['target_id']}/complete", headers=bob.headers).status_code == 404


def test_my_payments_filters(client, alice, db, provider):
    ids = [apply(client, alice, db.item("tests")).json["payment"]["id"] for _ in range(3)]
    provider.paid(ids[0])
    mine = lambda query: client.get(f"/api/me/payments?{query}", headers=alice.headers)  # noqa: E731
    assert [p["id"] for p in mine("").json["items"]] == ids[::-1]
    assert [p["id"] for p in mine("status=paid").json["items"]] == [ids[0]]
    assert mine("from=2000-01-01T00:00:00Z&to=2001-01-01T00:00:00Z").json["total"] == 0
    for bad in ("page_size=1000", "status=done", "from=yesterday", "from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z"):
        assert mine(bad).status_code == 422, bad


def test_payment_webhooks_are_signed_and_applied_once(client, alice, db, provider):
    payment = apply(client, alice, db.item("tests")).json["payment"]
    webhook_id = f"msg_{uuid.uuid4().hex}"
    first = provider.paid(payment["id"], webhook_id=webhook_id)
    replay = provider.paid(payment["id"], webhook_id=webhook_id)
    assert first.json["replayed"] is False and replay.json["replayed"] is True
    late = provider.report(payment["id"], "failed", reason="late")
    assert late.json["results"][0]["result"] == "stale"
    assert client.get(f"/api/payments/{payment['id']}", headers=alice.headers).json["status"] == "paid"
    forged = client.post("/api/webhooks/payments", json={"events": []}, headers={"webhook-id": "x"})
    assert forged.status_code == 401


def test_a_key_held_by_a_request_that_died_is_taken_over(client, alice, db):
    exam, key = db.item("tests"), str(uuid.uuid4())
    db.one(
        "INSERT INTO idempotency_keys (caller_id, key, request_fingerprint, created_at, expires_at) "
        "VALUES (%s, %s, 'x', now() - interval '5 minutes', now() + interval '1 day') RETURNING key",
        alice.user["id"],
        key,
    )
    assert apply(client, alice, exam, **{"Idempotency-Key": key}).status_code == 202
