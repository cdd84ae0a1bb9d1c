"""The classroom socket over several replicas: every replica fans out every event; a client that moves misses
nothing and gets nothing twice, when it reconnects mid-burst and when the replica it was on is killed."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import redis
from notifier_classroom import ClassroomGateway, Learner, SocketClient
from notifier_stack import REDIS_URL, declare_fresh, publish_many, running, settings_for

from shared.testing import wait_until

BURST = 400


@pytest.fixture
def classroom(signing_key):
    with ClassroomGateway(signing_key) as server:
        yield server


@pytest.fixture
def settings(amqp_url, redis_prefix, classroom, notifier_webhook_secret, signing_key):
    declare_fresh(amqp_url)
    return settings_for(
        amqp_url, redis_prefix, classroom.url, notifier_webhook_secret, jwt_public_keys=[signing_key.public_pem]
    )


def ws(base: str, code: str) -> str:
    return base.replace("http", "ws", 1) + f"/ws/sessions/{code}"


def burst(amqp_url: str, session, count: int, per_second: float = 400.0) -> threading.Thread:
    """Publish the session's next `count` events in batches, about `per_second`, on a thread."""

    def run() -> None:
        for _ in range(0, count, 20):
            publish_many(amqp_url, [session.event() for _ in range(20)])
            time.sleep(20 / per_second)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_every_replica_fans_out_every_event_in_order(notifier, settings, classroom, amqp_url, push_loop):
    session = classroom.session()
    with running(settings.model_copy(update={"notifier_roles": ["realtime"]})) as second:
        clients = [
            SocketClient(push_loop, ws(replica.url, session.code), session.device()[1]).start()
            for replica in (notifier, second, notifier, second)
        ]
        for client in clients:
            client.join()
            client.wait_for(lambda messages: messages)
        publish_many(amqp_url, [session.event() for _ in range(50)])
        for client in clients:
            client.wait_for(lambda messages: len(messages) >= 52)
            assert client.seqs == list(range(51))  # the state at 0, then 1..50


def test_a_client_that_reconnects_to_another_replica_mid_burst_misses_nothing(
    notifier, settings, classroom, amqp_url, push_loop
):
    session = classroom.session()
    _, token = session.device()
    with running(settings.model_copy(update={"notifier_roles": ["realtime"]})) as second:
        first = SocketClient(push_loop, ws(notifier.url, session.code), token).start()
        first.join()
        first.wait_for(lambda messages: first.seqs)
        publisher = burst(amqp_url, session, BURST)
        first.wait_for(lambda messages: len(first.seqs) > 60)
        first.close()
        seen = first.seqs
        again = SocketClient(push_loop, ws(second.url, session.code), token).start()
        again.join(last_seq=seen[-1])
        publisher.join(30)
        again.wait_for(lambda messages: again.seqs and again.seqs[-1] == BURST)
        assert again.messages[0]["resumed"] is True
        assert seen + again.seqs == list(range(BURST + 1))


def test_a_client_dropped_mid_burst_resumes_on_the_same_replica(notifier, classroom, amqp_url, push_loop):
    session = classroom.session()
    _, token = session.device()
    first = SocketClient(push_loop, ws(notifier.url, session.code), token).start()
    first.join()
    publisher = burst(amqp_url, session, 200)
    first.wait_for(lambda messages: len(first.seqs) > 30)
    first.drop()
    seen = first.seqs
    again = SocketClient(push_loop, ws(notifier.url, session.code), token).start()
    again.join(last_seq=seen[-1])
    publisher.join(30)
    again.wait_for(lambda messages: again.seqs and again.seqs[-1] == 200)
    assert seen + again.seqs == list(range(201))


# --- a replica killed: two notifier processes, 100 learners -------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_replica(settings, port: int, log: Path) -> subprocess.Popen:
    """`python -m notifier` (every role) on `port`, aimed at the test's vhost, Redis prefix and gateway."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "APP_ENV": "test",
        "LOG_LEVEL": "WARNING",
        "AMQP_URL": settings.amqp_url,
        "REDIS_URL": REDIS_URL,
        "NOTIFIER_REDIS_PREFIX": settings.notifier_redis_prefix,
        "NOTIFIER_BIND": f"127.0.0.1:{port}",
        "NOTIFIER_WEBHOOK_SECRET": settings.notifier_webhook_secret,
        "GATEWAY_URL": settings.gateway_url,
        "JWT_PUBLIC_KEYS": settings.jwt_public_keys[0].strip().replace("\n", "\\n"),
        "NOTIFIER_JWKS_URL": "off",
        "RETRY_DELAYS_MS": ",".join(str(ms) for ms in settings.retry_delays_ms),
        "MAILDIR": str(log.parent / "maildir"),
    }
    with open(log, "w") as sink:
        process = subprocess.Popen([sys.executable, "-m", "notifier"], env=env, stderr=sink, cwd=log.parent)
    healthy = wait_until(lambda: _healthy(port) or process.poll() is not None, 30)
    assert healthy and process.poll() is None, log.read_text()[-2000:]
    return process


def _healthy(port: int) -> bool:
    try:
        return bool(httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).json().get("broker"))
    except (httpx.HTTPError, ValueError):
        return False


def test_a_replica_killed_with_100_learners_they_reconnect_to_the_other_and_miss_nothing(
    settings, classroom, amqp_url, push_loop, tmp_path
):
    session = classroom.session()
    ports = free_port(), free_port()
    replicas = [start_replica(settings, port, tmp_path / f"replica-{port}.log") for port in ports]
    urls = [ws(f"http://127.0.0.1:{port}", session.code) for port in ports]
    learners = [Learner(push_loop, urls, session.device()[1]).start() for _ in range(100)]
    try:
        assert wait_until(lambda: all(learner.connected.is_set() for learner in learners), 30)
        publisher = burst(amqp_url, session, BURST, per_second=200)
        assert wait_until(lambda: all(learner.last and learner.last >= 100 for learner in learners), 30)
        replicas[0].send_signal(signal.SIGKILL)
        replicas[0].wait(10)
        publisher.join(60)
        finished = wait_until(lambda: all(learner.last == BURST for learner in learners), 60)
        assert finished, sorted({learner.last for learner in learners}, key=str)[:5]
        for learner in learners:
            assert learner.doubles == []
            assert learner.states == [0]  # the first join's; every rejoin resumed inside the window
            assert learner.events == list(range(1, BURST + 1))
            # moved once, from the killed replica to the other: a busy machine may have it told to try again first
            assert learner.closes and set(learner.closes[1:]) <= {1013}, learner.closes
    finally:
        for learner in learners:
            learner.stop()
        for process in replicas:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(30)


def test_with_no_replica_listening_notifier_events_keeps_the_log_whole(settings, classroom, amqp_url):
    session = classroom.session()
    first, second = session.event(), session.event()
    again = session.event("instructor_message", {"message": "a redelivered copy of seq 2"}, seq=2)
    with running(settings.model_copy(update={"notifier_roles": ["email"]})):
        publish_many(amqp_url, [second, first, again])
        key = f"{settings.notifier_redis_prefix}:classroom:{{{session.lecture_id}}}:log:{session.id}"
        client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
        assert wait_until(lambda: client.zcard(key) == 2, 15)
        logged = [json.loads(member) for member in client.zrange(key, 0, -1)]
        members = client.smembers(f"{settings.notifier_redis_prefix}:classroom:{{{session.lecture_id}}}:sessions")
    assert [(e["seq"], e["id"]) for e in logged] == [(1, first.id), (2, second.id)]  # the first copy of a seq stays
    assert members == {session.id}
    assert 0 < client.ttl(key) <= settings.notifier_classroom_ttl_seconds


def test_the_fast_path_and_the_plain_one_give_every_socket_the_same_messages(
    notifier, settings, classroom, amqp_url, push_loop
):
    session = classroom.session()
    plain = settings.model_copy(update={"notifier_roles": ["realtime"], "fast_paths": False})
    with running(plain) as slow:
        pairs = []
        for _ in range(3):
            _, token = session.device()
            pairs.append([SocketClient(push_loop, ws(r.url, session.code), token).start() for r in (notifier, slow)])
        for pair in pairs:
            for client in pair:
                client.join()
                client.wait_for(lambda messages: len(messages) >= 2)
        publisher = burst(amqp_url, session, 200, per_second=1000)
        for n in range(20):  # replies interleaved with the events
            for pair in pairs:
                for client in pair:
                    client.send({"type": "heartbeat", "id": f"h{n}", "timestamp": n})
        publisher.join(30)
        for pair in pairs:
            for client in pair:
                client.wait_for(lambda messages: len(messages) >= 2 + 200 + 20)

    def shape(client) -> tuple[list, list]:
        events = [(m["type"], m.get("seq"), m.get("id")) for m in client.messages if m["type"] != "heartbeat_ack"]
        acks = [(m["reply_to"], m["timestamp"]) for m in client.messages if m["type"] == "heartbeat_ack"]
        return events, acks

    for fast, slow_client in pairs:
        assert shape(fast) == shape(slow_client)
        assert [seq for _, seq, _ in shape(fast)[0][1:]] == list(range(201))
