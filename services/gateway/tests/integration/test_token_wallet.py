"""The token wallet: purchases credited once, spends never below zero, refunds once, the ledger readable."""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import psycopg
import pytest

from gateway.platform.errors import PaymentRequired
from gateway.wallet import service as wallet
from shared.webhooks import WebhookSigner


@pytest.fixture
def uow(app):
    return app.extensions["gateway"].db.uow


def grant(uow, user_id: str, amount: int) -> None:
    wallet.grant(uow(), uuid.UUID(user_id), amount, f"grant-{uuid.uuid4()}", "test grant")


def paid(client, secret: str, payment_id: str):
    event = {
        "id": f"{payment_id}:paid",
        "type": "payment.paid",
        "payment_id": payment_id,
        "occurred_at": datetime.now(UTC).isoformat(),
        "data": {"provider_transaction_id": "tx"},
    }
    body = json.dumps({"events": [event]}).encode()
    headers = WebhookSigner(secret).headers(body)
    return client.post("/api/webhooks/payments", data=body, headers=headers, content_type="application/json")


def test_packages_are_public(client):
    packages = client.get("/api/tokens/packages").json
    assert [p["id"] for p in packages] == ["starter", "creator", "studio"]


def test_a_package_purchase_is_credited_once_when_paid(client, alice, payments_secret):
    assert client.get("/api/tokens/balance", headers=alice.headers).json == {"balance": 0}
    bought = client.post(
        "/api/tokens/purchase", json={"package_id": "creator", "payment_method": "card"}, headers=alice.headers
    )
    assert bought.status_code == 202 and bought.json["amount"] == 20000 and bought.json["status"] == "pending"
    assert client.get("/api/tokens/balance", headers=alice.headers).json["balance"] == 0
    paid(client, payments_secret, bought.json["id"])
    paid(client, payments_secret, bought.json["id"])  # a redelivered report under a new webhook id
    assert client.get("/api/tokens/balance", headers=alice.headers).json["balance"] == 2200
    ledger = client.get("/api/tokens/transactions", headers=alice.headers).json
    assert [(t["type"], t["amount"], t["balance_after"]) for t in ledger["items"]] == [("purchase", 2200, 2200)]
    assert ledger["items"][0]["reference"] == bought.json["id"]


def test_an_amount_purchase_is_priced_per_token(client, alice, payments_secret):
    bought = client.post(
        "/api/tokens/purchase", json={"amount": 300, "payment_method": "kakaopay"}, headers=alice.headers
    ).json
    assert bought["amount"] == 3000 and bought["target_type"] == "tokens"
    paid(client, payments_secret, bought["id"])
    assert client.get("/api/tokens/balance", headers=alice.headers).json["balance"] == 300


@pytest.mark.parametrize(
    "body",
    [
        {"amount": 150, "payment_method": "card"},
        {"amount": 0, "payment_method": "card"},
        {"amount": -100, "payment_method": "card"},
        {"amount": "100", "payment_method": "card"},
        {"amount": 100, "package_id": "starter", "payment_method": "card"},
        {"payment_method": "card"},
        {"package_id": "starter", "payment_method": "cash"},
    ],
)
def test_bad_purchases_are_422_and_create_nothing(client, alice, body):
    response = client.post("/api/tokens/purchase", json=body, headers=alice.headers)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert client.get("/api/me/payments", headers=alice.headers).json["total"] == 0


def test_an_unknown_package_is_404(client, alice):
    response = client.post(
        "/api/tokens/purchase", json={"package_id": "gold", "payment_method": "card"}, headers=alice.headers
    )
    assert response.status_code == 404


def test_a_hundred_concurrent_spends_against_ten_spends_worth(uow, alice, database_url):
    user = uuid.UUID(alice.user["id"])
    grant(uow, alice.user["id"], 500)

    def spend(i: int) -> bool:
        try:
            wallet.spend_for_work(uow(), user, 50, f"generation-{i}", "a generation")
            return True
        except PaymentRequired:
            return False

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(spend, range(100)))
    assert outcomes.count(True) == 10
    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        balance = conn.execute("SELECT balance FROM token_wallets WHERE user_id = %s", (user,)).fetchone()[0]
        ledger = conn.execute(
            "SELECT sum(amount), count(*) FROM token_transactions WHERE user_id = %s", (user,)
        ).fetchone()
    assert balance == 0 and ledger == (0, 11)  # the grant and ten spends; the balance is the ledger's sum


def test_spend_and_refund_are_idempotent_per_work_id(uow, alice):
    user = uuid.UUID(alice.user["id"])
    grant(uow, alice.user["id"], 100)
    first = wallet.spend_for_work(uow(), user, 60, "generation-x", "g")
    again = wallet.spend_for_work(uow(), user, 60, "generation-x", "g")
    assert (first.applied, first.balance, again.applied, again.balance) == (True, 40, False, 40)
    with pytest.raises(PaymentRequired):
        wallet.spend_for_work(uow(), user, 60, "generation-y", "g")
    assert wallet.get_balance(uow(), user) == 40  # the refused spend left nothing behind
    refunds = [wallet.refund_work(uow(), user, "generation-x", "failed") for _ in range(2)]
    assert [r.applied for r in refunds] == [True, False] and wallet.get_balance(uow(), user) == 100
    assert wallet.refund_work(uow(), user, "never-spent", "failed").applied is False


def test_transactions_are_cursor_paginated_and_filtered(client, uow, alice):
    user = uuid.UUID(alice.user["id"])
    grant(uow, alice.user["id"], 1000)
    for i in range(5):
        wallet.spend_for_work(uow(), user, 10, f"work-{i}", f"work {i}")
    seen, cursor = [], None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/api/tokens/transactions?{query}", headers=alice.headers).json
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 6 and seen == sorted(seen, reverse=True)
    spends = client.get("/api/tokens/transactions?type=spend&limit=100", headers=alice.headers).json["items"]
    assert len(spends) == 5 and all(t["amount"] == -10 for t in spends)
    for bad in ("cursor=nonsense", "limit=0", "limit=101", "type=gift"):
        assert client.get(f"/api/tokens/transactions?{bad}", headers=alice.headers).status_code == 422, bad


def test_the_wallet_is_private(client, alice, bob, uow):
    grant(uow, alice.user["id"], 100)
    assert client.get("/api/tokens/balance", headers=bob.headers).json["balance"] == 0
    assert client.get("/api/tokens/transactions", headers=bob.headers).json["items"] == []
