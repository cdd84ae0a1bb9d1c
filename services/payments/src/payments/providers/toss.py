"""The `toss` provider: Toss Payments' core API over HTTP (httpx), behind the PaymentProvider port.

* charge: `POST /v1/payments/key-in` (a server-side card charge) with the payment id as `orderId`;
* refund: `POST /v1/payments/{paymentKey}/cancel` with `cancelReason`;
* look-ups: `GET /v1/payments/orders/{orderId}`, `GET /v1/payments/{paymentKey}`.

Every POST carries `Idempotency-Key` (the payment id, `<payment id>:refund` for the refund), so a
retry after a timeout, a 5xx or a crash gets the first call's answer and moves no money twice.
Authentication is HTTP Basic with `base64(secret_key + ":")`. Errors come back as
`{"code": ..., "message": ...}`: a 5xx, a timeout, a garbled body or a busy key is transient; a
401/403 credential error or an answer without a code is a misconfiguration; any other 4xx code
is a decline. The platform's own method (card, kakaopay, ...) travels in `metadata`; a real
integration would send a card token or billing key where the sandbox test card number goes here.
"""

import base64
import dataclasses
import json
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from payments.providers.base import (
    Charged,
    ChargeResult,
    Declined,
    MisconfiguredProviderError,
    Refunded,
    RefundResult,
    TransientProviderError,
)
from payments.providers.sandbox import card_digits

CREDENTIAL_CODES = {"UNAUTHORIZED_KEY", "INVALID_API_KEY", "INVALID_AUTHORIZE_AUTH"}
TRANSIENT_CODES = {
    "PROVIDER_ERROR",
    "FAILED_INTERNAL_SYSTEM_PROCESSING",
    "FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING",
    "UNKNOWN_PAYMENT_ERROR",
    "ALREADY_PROCESSING_REQUEST",
    "IDEMPOTENT_REQUEST_PROCESSING",
    "FORBIDDEN_CONSECUTIVE_REQUEST",
}
ALREADY_CHARGED_CODES = {"ALREADY_PROCESSED_PAYMENT", "DUPLICATED_ORDER_ID"}


@dataclasses.dataclass
class TossRejected(Exception):
    """A 4xx with Toss's error body: the provider's final word on this request."""

    status: int
    code: str
    message: str


def basic_auth(secret_key: str) -> str:
    """Toss's Authorization header value: Basic base64("<secret key>:")."""
    return "Basic " + base64.b64encode(f"{secret_key}:".encode()).decode()


def parse_time(value: Any) -> datetime:
    """An ISO-8601 time from Toss ("2024-02-13T12:18:14+09:00")."""
    if not isinstance(value, str):
        raise TransientProviderError(f"toss: malformed response (time {value!r})", code="malformed_response")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise TransientProviderError(f"toss: malformed response (time {value!r})", code="malformed_response") from None


class TossProvider:
    """Charges with key-in, refunds with cancel; idempotent by payment id."""

    name = "toss"

    def __init__(self, secret_key: str, base_url: str = "https://api.tosspayments.com", timeout: float = 10.0):
        self._client = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            headers={"Authorization": basic_auth(secret_key), "Content-Type": "application/json"},
        )

    def charge(
        self,
        *,
        payment_id: str,
        amount: int,
        currency: str,
        method: str,
        order_name: str,
        card_number: str | None = None,
    ) -> ChargeResult:
        """Key-in charge of `amount` KRW for order `payment_id`."""
        if currency != "KRW":
            return Declined("UNSUPPORTED_CURRENCY", f"Toss key-in charges KRW only, not {currency}.")
        body: dict[str, Any] = {
            "amount": amount,
            "orderId": payment_id,
            "orderName": order_name[:100],
            "metadata": {"method": method},
        }
        if card_number:
            body["cardNumber"] = card_digits(card_number)
        try:
            payment = self._request("POST", "/v1/payments/key-in", body, idempotency_key=payment_id)
        except TossRejected as rejected:
            if rejected.code not in ALREADY_CHARGED_CODES:
                return Declined(rejected.code, rejected.message)
            # Charged before, under a key Toss no longer remembers: the order still says how it went.
            payment = self._request("GET", f"/v1/payments/orders/{quote(payment_id, safe='')}")
        return _charged(payment)

    def refund(self, *, payment_id: str, provider_transaction_id: str, amount: int, reason: str) -> RefundResult:
        """Cancel the payment in full."""
        path = f"/v1/payments/{quote(provider_transaction_id, safe='')}"
        body = {"cancelReason": reason[:200] or "cancelled", "cancelAmount": amount}
        try:
            payment = self._request("POST", f"{path}/cancel", body, idempotency_key=f"{payment_id}:refund")
        except TossRejected as rejected:
            if rejected.code != "ALREADY_CANCELED_PAYMENT":
                return Declined(rejected.code, rejected.message)
            payment = self._request("GET", path)
        return _refunded(payment)

    def close(self) -> None:
        self._client.close()

    def _request(self, method: str, path: str, body: dict | None = None, idempotency_key: str | None = None) -> dict:
        """One call; the decoded 2xx body, else TossRejected or a ProviderError."""
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        try:
            response = self._client.request(method, path, json=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise TransientProviderError(f"toss: timed out ({type(exc).__name__})", code="timeout") from exc
        except httpx.TransportError as exc:
            raise TransientProviderError(f"toss: {type(exc).__name__}: {exc}", code="connection_error") from exc
        payload = _json(response)
        if response.is_success:
            if not isinstance(payload, dict):
                raise TransientProviderError("toss: malformed response (not a JSON object)", code="malformed_response")
            return payload
        code, message = _error(payload)
        status = response.status_code
        if status >= 500 or status == 429 or code in TRANSIENT_CODES:
            raise TransientProviderError(f"toss: HTTP {status} {code}: {message}", code="provider_unavailable")
        if code in CREDENTIAL_CODES or not code:  # no Toss error body: a wrong URL, a proxy page
            raise MisconfiguredProviderError(f"toss: HTTP {status} {code or ''}: {message}", code="misconfigured")
        raise TossRejected(status, code, message)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _error(payload: Any) -> tuple[str, str]:
    """(code, message) of a Toss error body; empty code when there is none."""
    if not isinstance(payload, dict):
        return "", "no error body"
    code, message = payload.get("code"), payload.get("message")
    return (code if isinstance(code, str) else ""), (message if isinstance(message, str) else "")


def _charged(payment: dict) -> ChargeResult:
    """A Toss Payment object as the port's answer: only DONE is money taken."""
    key, status, amount = payment.get("paymentKey"), payment.get("status"), payment.get("totalAmount")
    if not isinstance(key, str) or not key or not isinstance(amount, int):
        raise TransientProviderError("toss: malformed response (no paymentKey/totalAmount)", code="malformed_response")
    if status in ("DONE", "PARTIAL_CANCELED", "CANCELED"):
        return Charged(key, amount, parse_time(payment.get("approvedAt")))
    if status in ("ABORTED", "EXPIRED"):
        return Declined(status, f"The payment ended {status}.")
    raise TransientProviderError(f"toss: payment {key} is {status}", code="payment_in_progress")


def _refunded(payment: dict) -> RefundResult:
    """The refund recorded on a cancelled Toss Payment object."""
    cancels = payment.get("cancels")
    if payment.get("status") != "CANCELED" or not isinstance(cancels, list) or not cancels:
        raise TransientProviderError("toss: malformed response (payment not CANCELED)", code="malformed_response")
    last = cancels[-1] if isinstance(cancels[-1], dict) else {}
    amount = sum(c.get("cancelAmount", 0) for c in cancels if isinstance(c, dict))
    return Refunded(amount, parse_time(last.get("canceledAt")))
