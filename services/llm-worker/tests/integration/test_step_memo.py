"""The step memo on the real Redis: once per key, single flight, a dead holder's lock lapses."""

import threading
import time
import uuid

import pytest
import redis

from llm_worker.memo import StepMemo

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def memo(redis_prefix):
    return StepMemo(redis.Redis.from_url(REDIS_URL), ttl_seconds=60, lock_seconds=1, prefix=redis_prefix)


def counting(result: dict, delay: float = 0.0):
    calls = []

    def compute():
        calls.append(1)
        time.sleep(delay)
        return result

    return compute, calls


def test_a_second_call_gets_the_stored_result_without_computing(memo):
    key = uuid.uuid4().hex
    compute, calls = counting({"summary": "S"})
    assert memo.once(key, compute) == ({"summary": "S"}, True)
    assert memo.once(key, compute) == ({"summary": "S"}, False)
    assert len(calls) == 1


def test_concurrent_calls_compute_once(memo):
    key = uuid.uuid4().hex
    compute, calls = counting({"n": 1}, delay=0.3)
    results = []
    threads = [threading.Thread(target=lambda: results.append(memo.once(key, compute))) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(calls) == 1
    assert [r[0] for r in results] == [{"n": 1}] * 5
    assert sorted(r[1] for r in results) == [False, False, False, False, True]


def test_a_lock_left_by_a_dead_holder_lapses(memo, redis_prefix):
    key = uuid.uuid4().hex
    client = redis.Redis.from_url(REDIS_URL)
    client.set(f"{redis_prefix}:{key}:lock", "a-worker-that-was-killed", px=1000)  # never released
    compute, calls = counting({"ok": True})
    started = time.monotonic()
    assert memo.once(key, compute) == ({"ok": True}, True)
    assert time.monotonic() - started >= 0.5, "it waited for the lock instead of computing twice"
    assert len(calls) == 1


def test_a_long_computation_keeps_its_lock_alive(memo):
    key = uuid.uuid4().hex
    slow, slow_calls = counting({"v": "slow"}, delay=2.5)  # longer than the 1 s lock: the refresher extends it
    fast, fast_calls = counting({"v": "fast"})
    holder = threading.Thread(target=lambda: memo.once(key, slow))
    holder.start()
    time.sleep(1.5)
    assert memo.once(key, fast) == ({"v": "slow"}, False)
    holder.join(10)
    assert len(slow_calls) == 1 and not fast_calls


def test_a_failed_computation_stores_nothing_and_releases_the_lock(memo):
    key = uuid.uuid4().hex

    def boom():
        raise RuntimeError("provider down")

    with pytest.raises(RuntimeError):
        memo.once(key, boom)
    compute, calls = counting({"second": "try"})
    assert memo.once(key, compute) == ({"second": "try"}, True)
    assert len(calls) == 1


def test_without_redis_the_step_still_runs(redis_prefix):
    memo = StepMemo(redis.Redis.from_url("redis://127.0.0.1:1/0"), ttl_seconds=60, prefix=redis_prefix)
    compute, calls = counting({"degraded": True})
    assert memo.once(uuid.uuid4().hex, compute) == ({"degraded": True}, True)
    assert len(calls) == 1
