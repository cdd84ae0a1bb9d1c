"""Paying for real: gateway, outbox relay and the payments service (sandbox provider) as processes."""

import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from shared.testing import wait_until


@pytest.fixture
def items(database_url):
    dsn = database_url.replace("+psycopg", "")

    def create(table: str, price: int) -> int:
        now = datetime.now(UTC)
        with psycopg.connect(dsn, autocommit=True) as conn:
            return conn.execute(
                f"INSERT INTO {table} (title, description, price, start_at, end_at) VALUES (%s, '', %s, %s, %s) "
                "RETURNING id",
                (f"e2e {uuid.uuid4().hex[:6]}", price, now - timedelta(days=1), now + timedelta(days=1)),
            ).fetchone()[0]

    return create


def test_apply_pay_cancel_refund_and_buy_tokens(stack, items):
    for name in ("gateway", "relay", "payments"):
        stack.start(name)
    stack.sign_in()
    wait = {"Prefer": "wait=10"}

    paid = stack.http.post(
        f"/api/tests/{items('tests', 45000)}/apply", json={"amount": 45000, "payment_method": "card"}, headers=wait
    )
    assert paid.status_code == 201, (paid.text, stack.logs("payments"))
    payment = paid.json()["payment"]
    assert payment["status"] == "paid" and payment["provider"] == "sandbox" and payment["provider_transaction_id"]

    # The sandbox declines amounts ending in 13 won.
    declined = stack.http.post(
        f"/api/courses/{items('courses', 45013)}/enroll",
        json={"amount": 45013, "payment_method": "kakaopay"},
        headers=wait,
    )
    assert declined.status_code == 402 and declined.headers["content-type"] == "application/problem+json"

    cancel = stack.http.post(f"/api/payments/{payment['id']}/cancel", json={"reason": "cannot attend"})
    assert cancel.status_code == 202
    refunded = wait_until(lambda: stack.http.get(f"/api/payments/{payment['id']}").json()["status"] == "cancelled", 20)
    assert refunded, stack.logs("payments")

    bought = stack.http.post(
        "/api/tokens/purchase", json={"package_id": "starter", "payment_method": "card"}, headers=wait
    )
    assert bought.status_code == 201 and bought.json()["status"] == "paid"
    assert stack.http.get("/api/tokens/balance").json() == {"balance": 500}


def test_payments_survive_the_payments_service_starting_late(stack, items):
    """Charges wait in the queue while the service is down; nothing is lost, nothing charged twice."""
    stack.start("gateway")
    stack.start("relay")
    stack.sign_in()
    ids = []
    for _ in range(5):
        answer = stack.http.post(
            f"/api/tests/{items('tests', 1000)}/apply", json={"amount": 1000, "payment_method": "card"}
        )
        assert answer.status_code == 202
        ids.append(answer.json()["payment"]["id"])
    stack.start("payments")
    done = wait_until(lambda: all(stack.http.get(f"/api/payments/{i}").json()["status"] == "paid" for i in ids), 30)
    assert done, stack.logs("payments")
