"""`python -m payments` SIGKILLed mid-message and started again: one charge at the provider, the event delivered.

Two windows: after the outcome is recorded but before the gateway accepted it (the webhook
answers 503), and inside the provider call itself (the Toss stand-in holds its answer back
after taking the money). Either way the restarted process gets the message again and must
not move money a second time.
"""

import os
import signal
import subprocess
import sys
import uuid

import pytest
from payments_broker import FAST_RETRIES, QUEUE, declare_fresh, depth, publish
from payments_fakes import charge
from sqlalchemy import select

from payments.store import PaymentStore
from payments.tables import sandbox_charges
from shared.testing import wait_until

TOSS_SECRET = "test_sk_standin"


@pytest.fixture
def payment_id():
    return str(uuid.uuid4())


@pytest.fixture
def spawn(amqp_url, payments_database_url, receiver, payments_webhook_secret, tmp_path):
    """Start `python -m payments` with this run's settings (and `extra`); every process is killed at the end."""
    declare_fresh(amqp_url)
    processes = []

    def start(**extra: str) -> subprocess.Popen:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "APP_ENV": "test",
            "LOG_LEVEL": "INFO",
            "AMQP_URL": amqp_url,
            "PAYMENTS_DATABASE_URL": payments_database_url,
            "GATEWAY_URL": receiver.url,
            "PAYMENTS_WEBHOOK_SECRET": payments_webhook_secret,
            "RETRY_DELAYS_MS": ",".join(str(ms) for ms in FAST_RETRIES),
            "PAYMENTS_HANDLER_THREADS": "2",
            "PAYMENT_PROVIDER": "sandbox",
            **extra,
        }
        log = open(tmp_path / f"payments-{len(processes)}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen([sys.executable, "-m", "payments"], env=env, cwd=tmp_path, stdout=log, stderr=log)
        processes.append((process, log))
        return process

    yield start
    for process, log in processes:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        log.close()


def stop(process: subprocess.Popen) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(20)


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(10)


def sandbox_requests(engine, payment_id) -> int:
    with engine.connect() as conn:
        row = conn.execute(select(sandbox_charges).where(sandbox_charges.c.idempotency_key == payment_id)).first()
    return row.requests if row else 0


def test_killed_before_the_gateway_accepted(spawn, amqp_url, receiver, payments_engine, payment_id):
    store = PaymentStore(payments_engine)
    receiver.unavailable = 10**6  # the gateway is down: the outcome is recorded, the message stays unacked
    first = spawn()
    publish(amqp_url, charge(payment_id=payment_id))
    assert receiver.wait_for_attempts(2), "the service never tried to report"
    assert store.get(payment_id).state == "paid"

    kill(first)
    receiver.unavailable = 0
    second = spawn()
    events = receiver.wait_for_events(payment_id)

    assert [e["id"] for e in events] == [f"{payment_id}:paid"]
    assert events[0]["data"]["provider_transaction_id"] == store.get(payment_id).provider_transaction_id
    assert sandbox_requests(payments_engine, payment_id) == 1  # the restart did not ask the provider again
    assert store.get(payment_id).charge_attempts == 1
    assert stop(second) == 0
    assert depth(amqp_url, QUEUE.name) == 0


def test_killed_inside_the_provider_call(spawn, amqp_url, receiver, toss_standin, payments_engine, payment_id):
    store = PaymentStore(payments_engine)
    toss = {
        "PAYMENT_PROVIDER": "toss",
        "TOSS_BASE_URL": toss_standin.url,
        "TOSS_SECRET_KEY": TOSS_SECRET,
        "TOSS_TIMEOUT_SECONDS": "30",
    }
    toss_standin.script_charges([("hang", 60.0)])  # takes the money, then holds the answer back
    first = spawn(**toss)
    publish(amqp_url, charge(payment_id=payment_id))
    assert toss_standin.wait_for_charge_requests(payment_id, 1)
    assert toss_standin.charge_count(payment_id) == 1 and store.get(payment_id).state == "charging"

    kill(first)
    second = spawn(**toss)
    [event] = receiver.wait_for_events(payment_id)

    requests = toss_standin.charge_requests(payment_id)
    assert len(requests) == 2 and {r.idempotency_key for r in requests} == {payment_id}
    assert toss_standin.charge_count(payment_id) == 1  # charged once, not twice
    assert event["id"] == f"{payment_id}:paid"
    assert event["data"]["provider_transaction_id"] == toss_standin.payment_for(payment_id)["paymentKey"]
    assert wait_until(lambda: store.get(payment_id).state == "paid", timeout=5)
    assert stop(second) == 0
    assert depth(amqp_url, QUEUE.name) == 0
