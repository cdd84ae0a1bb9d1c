"""A real, scriptable stand-in for Toss Payments' core API (stdlib only), for the `toss` adapter's tests.

Usage::

    with start_toss_standin(secret_key="test_sk_standin") as toss:
        toss.script_charges([("hang", 3.0), "ok"])
        provider = TossProvider("test_sk_standin", base_url=toss.url, timeout=0.5)
        ...
        assert toss.charge_count("order-1") == 1

Routes: ``POST /v1/payments/key-in``, ``POST /v1/payments/{paymentKey}/cancel``,
``GET /v1/payments/orders/{orderId}`` and ``GET /v1/payments/{paymentKey}``. Every request must carry
``Authorization: Basic base64(secret_key + ":")``, else 401 ``UNAUTHORIZED_KEY``. Errors are Toss's
``{"code": ..., "message": ...}``.

Idempotency, as Toss documents it: a POST whose ``Idempotency-Key`` was seen before on the same route
gets the first answer back (status and body), moves no money and consumes no behaviour; the same key
with another body gets 422 ``IDEMPOTENT_REQUEST_MISMATCH``. Without a key, a second key-in for an order
that was charged gets 400 ``DUPLICATED_ORDER_ID``.

Behaviours (one consumed per POST that is not a replay; ``default`` once a script is empty):

* ``"ok"``: charge (or cancel) and answer 200 with the Payment object.
* ``("decline", code[, message[, status]])``: a Toss error (status 403 unless given), remembered under the key.
* ``("status", status[, code])``: an error with no effect and nothing remembered (a 5xx by default code).
* ``("hang", seconds)``: charge and remember the answer, then keep the client waiting ``seconds``.
* ``("malformed",)``: charge and remember the proper answer, but send a body that is not JSON.
* ``("drop",)``: charge and remember the answer, then close the connection without answering.
"""

import base64
import collections
import contextlib
import dataclasses
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import unquote

from shared.testing import LocalServer

KEY_IN = "/v1/payments/key-in"
KST = timezone(timedelta(hours=9))


@dataclasses.dataclass
class RecordedRequest:
    """One request the stand-in received."""

    method: str
    path: str
    headers: dict[str, str]  # keys lower-cased
    json: Any

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("idempotency-key")


@dataclasses.dataclass
class Answer:
    status: int
    body: dict


def _normalise(behaviour: Any) -> tuple:
    return (behaviour,) if isinstance(behaviour, str) else tuple(behaviour)


def _now() -> str:
    return datetime.now(UTC).astimezone(KST).isoformat(timespec="seconds")


def error(code: str, message: str) -> dict:
    return {"code": code, "message": message}


UNAUTHORIZED = Answer(401, error("UNAUTHORIZED_KEY", "인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다."))


class TossStandin(LocalServer):
    """A threaded local server speaking the subset of Toss Payments the adapter uses."""

    def __init__(self, secret_key: str = "test_sk_standin", host: str = "127.0.0.1", port: int = 0):
        super().__init__(_make_handler(self), host, port)
        self.secret_key = secret_key
        self.default: Any = "ok"
        self.requests: list[RecordedRequest] = []
        self.payments: dict[str, dict] = {}  # paymentKey -> Payment object
        self.charges_made: list[str] = []  # orderId of every charge that moved money
        self.cancels_made: list[str] = []  # paymentKey of every cancel that moved money
        self._scripts: dict[str, collections.deque] = {"charge": collections.deque(), "cancel": collections.deque()}
        self._remembered: dict[tuple[str, str], tuple[str, Answer]] = {}

    def script_charges(self, behaviours: Iterable[Any]) -> None:
        with self._lock:
            self._scripts["charge"].extend(_normalise(b) for b in behaviours)

    def script_cancels(self, behaviours: Iterable[Any]) -> None:
        with self._lock:
            self._scripts["cancel"].extend(_normalise(b) for b in behaviours)

    def forget_idempotency_keys(self) -> None:
        """What Toss does after 15 days: a repeated key is a new request again."""
        with self._lock:
            self._remembered.clear()

    def charge_requests(self, order_id: str | None = None) -> list[RecordedRequest]:
        with self._lock:
            return [
                r
                for r in self.requests
                if r.path == KEY_IN and (order_id is None or (r.json or {}).get("orderId") == order_id)
            ]

    def charge_count(self, order_id: str) -> int:
        """How often money moved for `order_id` (must never exceed one)."""
        with self._lock:
            return self.charges_made.count(order_id)

    def payment_for(self, order_id: str) -> dict | None:
        with self._lock:
            return next((p for p in self.payments.values() if p["orderId"] == order_id), None)

    def wait_for_charge_requests(self, order_id: str, count: int, timeout: float = 10.0) -> bool:
        with self._lock:
            return self._lock.wait_for(lambda: len(self._requests_for(order_id)) >= count, timeout=timeout)

    def _requests_for(self, order_id: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == KEY_IN and (r.json or {}).get("orderId") == order_id]

    # --- request handling (called from the server's threads) ---

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)
            self._lock.notify_all()

    def authorised(self, request: RecordedRequest) -> bool:
        expected = "Basic " + base64.b64encode(f"{self.secret_key}:".encode()).decode()
        return request.headers.get("authorization") == expected

    def replay(self, route: str, request: RecordedRequest) -> Answer | None:
        """The remembered answer for this idempotency key, or None if the key is new (or absent)."""
        key = request.idempotency_key
        if not key:
            return None
        with self._lock:
            remembered = self._remembered.get((route, key))
        if remembered is None:
            return None
        fingerprint, answer = remembered
        if fingerprint != json.dumps(request.json, sort_keys=True):
            return Answer(422, error("IDEMPOTENT_REQUEST_MISMATCH", "멱등키가 다른 요청에 사용되었습니다."))
        return answer

    def remember(self, route: str, request: RecordedRequest, answer: Answer) -> None:
        if request.idempotency_key:
            with self._lock:
                self._remembered[(route, request.idempotency_key)] = (json.dumps(request.json, sort_keys=True), answer)

    def next_behaviour(self, route: str) -> tuple:
        with self._lock:
            script = self._scripts[route]
            return script.popleft() if script else _normalise(self.default)

    def charge(self, body: dict) -> Answer:
        """Move the money (once per order) and build the Payment object."""
        order_id, amount = body.get("orderId"), body.get("amount")
        if not isinstance(order_id, str) or not isinstance(amount, int) or amount <= 0:
            return Answer(400, error("INVALID_REQUEST", "잘못된 요청입니다."))
        with self._lock:
            if any(p["orderId"] == order_id for p in self.payments.values()):
                return Answer(400, error("DUPLICATED_ORDER_ID", "이미 승인 및 취소가 진행된 중복된 주문번호 입니다."))
            payment = _payment(body)
            self.payments[payment["paymentKey"]] = payment
            self.charges_made.append(order_id)
            return Answer(200, json.loads(json.dumps(payment)))

    def cancel(self, payment_key: str, body: dict) -> Answer:
        with self._lock:
            payment = self.payments.get(payment_key)
            if payment is None:
                return Answer(404, error("NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다."))
            if payment["status"] == "CANCELED":
                return Answer(400, error("ALREADY_CANCELED_PAYMENT", "이미 취소된 결제 입니다."))
            amount = body.get("cancelAmount", payment["balanceAmount"])
            if not isinstance(amount, int) or amount != payment["balanceAmount"]:
                return Answer(400, error("INVALID_CANCEL_AMOUNT", "취소 금액이 올바르지 않습니다."))
            cancel = {
                "transactionKey": uuid.uuid4().hex,
                "cancelReason": body.get("cancelReason"),
                "cancelAmount": amount,
                "canceledAt": _now(),
                "cancelStatus": "DONE",
            }
            payment.update(status="CANCELED", balanceAmount=0, cancels=[*(payment["cancels"] or []), cancel])
            self.cancels_made.append(payment_key)
            return Answer(200, json.loads(json.dumps(payment)))

    def lookup(self, path: str) -> Answer:
        with self._lock:
            if path.startswith("/v1/payments/orders/"):
                order_id = unquote(path.removeprefix("/v1/payments/orders/"))
                found = next((p for p in self.payments.values() if p["orderId"] == order_id), None)
            else:
                found = self.payments.get(unquote(path.removeprefix("/v1/payments/")))
            if found is None:
                return Answer(404, error("NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다."))
            return Answer(200, json.loads(json.dumps(found)))

    def wait(self, seconds: float) -> bool:
        """Sleep unless stopping; True if the server is stopping."""
        return self._stopping.wait(seconds)


def _payment(body: dict) -> dict:
    """A Toss Payment object for a fresh key-in charge."""
    now = _now()
    card = str(body.get("cardNumber") or "4330000000000000")
    return {
        "mId": "tosspayments",
        "version": "2022-11-16",
        "paymentKey": f"tpk_{uuid.uuid4().hex}",
        "orderId": body["orderId"],
        "orderName": body.get("orderName"),
        "status": "DONE",
        "method": "카드",
        "currency": "KRW",
        "totalAmount": body["amount"],
        "balanceAmount": body["amount"],
        "requestedAt": now,
        "approvedAt": now,
        "card": {"number": card[:8] + "****" + card[-4:], "approveNo": uuid.uuid4().hex[:8]},
        "metadata": body.get("metadata"),
        "cancels": None,
    }


def _make_handler(server: TossStandin) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to `server`."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            request = self._read()
            if not server.authorised(request):
                self._answer(UNAUTHORIZED)
            elif request.path.startswith("/v1/payments/"):
                self._answer(server.lookup(request.path))
            else:
                self._answer(Answer(404, error("NOT_FOUND", "no such route")))

        def do_POST(self) -> None:
            request = self._read()
            if not server.authorised(request):
                self._answer(UNAUTHORIZED)
                return
            if request.path == KEY_IN:
                self._handle("charge", request, lambda: server.charge(request.json or {}))
            elif request.path.startswith("/v1/payments/") and request.path.endswith("/cancel"):
                key = unquote(request.path.removeprefix("/v1/payments/").removesuffix("/cancel"))
                self._handle("cancel", request, lambda: server.cancel(key, request.json or {}))
            else:
                self._answer(Answer(404, error("NOT_FOUND", "no such route")))

        def _handle(self, route: str, request: RecordedRequest, act) -> None:
            replayed = server.replay(route, request)
            if replayed is not None:
                self._answer(replayed)
                return
            behaviour = server.next_behaviour(route)
            kind, args = behaviour[0], behaviour[1:]
            if kind == "decline":
                code, message = args[0], args[1] if len(args) > 1 else "거절된 결제입니다."
                answer = Answer(args[2] if len(args) > 2 else 403, error(code, message))
                server.remember(route, request, answer)
                self._answer(answer)
                return
            if kind == "status":
                status = args[0]
                code = args[1] if len(args) > 1 else ("FAILED_INTERNAL_SYSTEM_PROCESSING" if status >= 500 else "X")
                self._answer(Answer(status, error(code, "stand-in error")))
                return
            answer = act()
            server.remember(route, request, answer)
            if kind == "hang" and server.wait(float(args[0])):
                self.close_connection = True
            elif kind == "malformed":
                self._send(200, b'{"paymentKey": "tpk_garbled", "status": ', "application/json")
            elif kind == "drop":
                self.close_connection = True
            else:
                self._answer(answer)

        def _read(self) -> RecordedRequest:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            headers = {k.lower(): v for k, v in self.headers.items()}
            request = RecordedRequest(self.command, self.path.split("?")[0], headers, body)
            server.record(request)
            return request

        def _answer(self, answer: Answer) -> None:
            self._send(answer.status, json.dumps(answer.body, ensure_ascii=False).encode(), "application/json")

        def _send(self, status: int, payload: bytes, content_type: str) -> None:
            try:
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler


@contextlib.contextmanager
def start_toss_standin(**options: Any) -> Iterator[TossStandin]:
    """Start a stand-in, yield it, stop it."""
    server = TossStandin(**options)
    with server:
        yield server
