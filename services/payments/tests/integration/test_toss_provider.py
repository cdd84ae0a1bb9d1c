"""The `toss` adapter against a real local HTTP stand-in of Toss Payments (httpx is not mocked)."""

import base64
import uuid

import pytest

from payments.providers.base import (
    Charged,
    Declined,
    MisconfiguredProviderError,
    Refunded,
    TransientProviderError,
)
from payments.providers.toss import TossProvider

SECRET = "test_sk_standin"


def make_provider(server, timeout: float = 2.0, secret: str = SECRET) -> TossProvider:
    return TossProvider(secret, base_url=server.url, timeout=timeout)


def charge(provider: TossProvider, payment_id: str, amount: int = 15000, card: str | None = None):
    return provider.charge(
        payment_id=payment_id, amount=amount, currency="KRW", method="card", order_name="TOEIC", card_number=card
    )


@pytest.fixture
def payment_id():
    return str(uuid.uuid4())


def test_a_charge_speaks_tosss_key_in_protocol(toss_standin, payment_id):
    result = charge(make_provider(toss_standin), payment_id, card="4330 1234 1234 1234")

    assert isinstance(result, Charged) and result.amount == 15000
    assert result.transaction_id == toss_standin.payment_for(payment_id)["paymentKey"]
    [request] = toss_standin.charge_requests(payment_id)
    assert request.method == "POST" and request.path == "/v1/payments/key-in"
    assert request.headers["authorization"] == "Basic " + base64.b64encode(f"{SECRET}:".encode()).decode()
    assert request.idempotency_key == payment_id
    assert request.json == {
        "amount": 15000,
        "orderId": payment_id,
        "orderName": "TOEIC",
        "metadata": {"method": "card"},
        "cardNumber": "4330123412341234",
    }


def test_the_same_idempotency_key_twice_charges_once(toss_standin, payment_id):
    provider = make_provider(toss_standin)

    first, second = charge(provider, payment_id), charge(provider, payment_id)

    assert first == second
    assert len(toss_standin.charge_requests(payment_id)) == 2
    assert toss_standin.charge_count(payment_id) == 1


def test_a_decline_is_declined_with_tosss_code(toss_standin, payment_id):
    toss_standin.script_charges([("decline", "REJECT_CARD_COMPANY", "카드사에서 거절한 결제입니다.")])

    result = charge(make_provider(toss_standin), payment_id)

    assert result == Declined("REJECT_CARD_COMPANY", "카드사에서 거절한 결제입니다.")
    assert toss_standin.charge_count(payment_id) == 0


def test_a_timeout_is_transient_and_the_retry_gets_the_first_charge(toss_standin, payment_id):
    toss_standin.script_charges([("hang", 3.0)])
    provider = make_provider(toss_standin, timeout=0.5)

    with pytest.raises(TransientProviderError) as caught:
        charge(provider, payment_id)
    assert caught.value.code == "timeout" and caught.value.retryable
    assert toss_standin.charge_count(payment_id) == 1  # the money moved; only the answer was lost

    retried = charge(provider, payment_id)

    assert isinstance(retried, Charged)
    assert retried.transaction_id == toss_standin.payment_for(payment_id)["paymentKey"]
    assert toss_standin.charge_count(payment_id) == 1


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_5xx_is_transient_and_nothing_was_charged(toss_standin, payment_id, status):
    toss_standin.script_charges([("status", status)])
    provider = make_provider(toss_standin)

    with pytest.raises(TransientProviderError) as caught:
        charge(provider, payment_id)
    assert caught.value.code == "provider_unavailable"

    assert isinstance(charge(provider, payment_id), Charged)
    assert toss_standin.charge_count(payment_id) == 1


@pytest.mark.parametrize("behaviour", [("malformed",), ("drop",)], ids=["garbled-body", "dropped-connection"])
def test_a_lost_answer_is_transient_and_the_retry_gets_the_first_charge(toss_standin, payment_id, behaviour):
    toss_standin.script_charges([behaviour])
    provider = make_provider(toss_standin)

    with pytest.raises(TransientProviderError):
        charge(provider, payment_id)

    assert isinstance(charge(provider, payment_id), Charged)
    assert toss_standin.charge_count(payment_id) == 1


@pytest.mark.parametrize("code", ["PROVIDER_ERROR", "FAILED_INTERNAL_SYSTEM_PROCESSING"])
def test_tosss_temporary_error_codes_are_transient(toss_standin, payment_id, code):
    toss_standin.script_charges([("status", 400, code)])

    with pytest.raises(TransientProviderError):
        charge(make_provider(toss_standin), payment_id)


def test_a_wrong_secret_key_is_a_misconfiguration(toss_standin, payment_id):
    with pytest.raises(MisconfiguredProviderError) as caught:
        charge(make_provider(toss_standin, secret="test_sk_wrong"), payment_id)

    assert not caught.value.retryable
    assert toss_standin.charge_count(payment_id) == 0


def test_an_order_charged_under_a_forgotten_key_is_looked_up(toss_standin, payment_id):
    charge(make_provider(toss_standin), payment_id)
    toss_standin.forget_idempotency_keys()

    result = charge(make_provider(toss_standin), payment_id)

    assert isinstance(result, Charged)
    assert result.transaction_id == toss_standin.payment_for(payment_id)["paymentKey"]
    assert toss_standin.charge_count(payment_id) == 1
    assert toss_standin.requests[-1].path == f"/v1/payments/orders/{payment_id}"


def test_a_currency_other_than_krw_is_declined_without_a_call(toss_standin, payment_id):
    result = make_provider(toss_standin).charge(
        payment_id=payment_id, amount=10, currency="USD", method="card", order_name="x"
    )

    assert isinstance(result, Declined) and toss_standin.requests == []


def test_a_refund_cancels_with_a_reason_once(toss_standin, payment_id):
    provider = make_provider(toss_standin)
    charged = charge(provider, payment_id)

    first = provider.refund(
        payment_id=payment_id, provider_transaction_id=charged.transaction_id, amount=15000, reason="changed my mind"
    )
    again = provider.refund(
        payment_id=payment_id, provider_transaction_id=charged.transaction_id, amount=15000, reason="changed my mind"
    )

    assert isinstance(first, Refunded) and first == again and first.amount == 15000
    cancels = [r for r in toss_standin.requests if r.path.endswith("/cancel")]
    assert [r.path for r in cancels] == [f"/v1/payments/{charged.transaction_id}/cancel"] * 2
    assert cancels[0].json == {"cancelReason": "changed my mind", "cancelAmount": 15000}
    assert cancels[0].idempotency_key == f"{payment_id}:refund"
    assert toss_standin.cancels_made == [charged.transaction_id]


def test_an_already_cancelled_payment_counts_as_refunded(toss_standin, payment_id):
    provider = make_provider(toss_standin)
    charged = charge(provider, payment_id)
    provider.refund(payment_id=payment_id, provider_transaction_id=charged.transaction_id, amount=15000, reason="a")
    toss_standin.forget_idempotency_keys()

    result = provider.refund(
        payment_id=payment_id, provider_transaction_id=charged.transaction_id, amount=15000, reason="a"
    )

    assert isinstance(result, Refunded) and toss_standin.cancels_made == [charged.transaction_id]


def test_a_refused_refund_is_declined(toss_standin, payment_id):
    provider = make_provider(toss_standin)
    charged = charge(provider, payment_id)
    toss_standin.script_cancels([("decline", "NOT_CANCELABLE_PAYMENT", "취소 할 수 없는 결제 입니다.", 400)])

    result = provider.refund(
        payment_id=payment_id, provider_transaction_id=charged.transaction_id, amount=15000, reason="a"
    )

    assert result == Declined("NOT_CANCELABLE_PAYMENT", "취소 할 수 없는 결제 입니다.")
    assert toss_standin.cancels_made == []
