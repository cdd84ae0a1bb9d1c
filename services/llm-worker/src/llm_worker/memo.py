"""Runs each chain step at most once per job, across redeliveries and replicas (Redis).

The result of a step is stored under a key made of the job, the step and a hash
of its input. A second delivery of the same job finds it and does not call (or
pay) the LLM again. While a step runs, a lock with a short TTL, refreshed by the
holder, makes a concurrent copy wait for the result instead of calling too; if
the holder dies (SIGKILL), the lock lapses within seconds and the copy takes over.
"""

import contextlib
import hashlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import redis

log = logging.getLogger(__name__)

# One round trip each: read the result or take the lock; store the result and drop our lock.
GET_OR_LOCK = """
local value = redis.call('get', KEYS[1])
if value then return {1, value} end
if redis.call('set', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0, '1'} end
return {0, '0'}
"""
STORE_AND_RELEASE = """
if ARGV[2] ~= '' then redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
if redis.call('get', KEYS[2]) == ARGV[1] then redis.call('del', KEYS[2]) end
return 1
"""
REFRESH = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"
)


def step_key(job_id: str, step: str, step_input: str) -> str:
    """The memo key of one step of one job for this exact input."""
    digest = hashlib.sha256(step_input.encode()).hexdigest()[:16]
    return f"step:{job_id}:{step}:{digest}"


class StepMemo:
    """Single-flight, memoised step execution backed by Redis."""

    def __init__(
        self,
        client: redis.Redis,
        ttl_seconds: int,
        lock_seconds: int = 10,
        poll_seconds: float = 0.05,
        prefix: str = "llm-worker",
    ):
        self._redis = client
        self._prefix = prefix
        self._ttl = ttl_seconds
        self._lock_ms = lock_seconds * 1000
        self._poll = poll_seconds
        self._get_or_lock = client.register_script(GET_OR_LOCK)
        self._store_and_release = client.register_script(STORE_AND_RELEASE)
        self._refresh = client.register_script(REFRESH)
        self._held: dict[str, str] = {}
        self._held_lock = threading.Lock()
        self._refresher = threading.Thread(target=self._refresh_loop, name="memo-lock-refresher", daemon=True)
        self._refresher.start()

    def once(self, key: str, compute: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], bool]:
        """The stored result for `key`, or `compute()` stored under it; the flag says whether it was computed."""
        token = uuid.uuid4().hex
        key = f"{self._prefix}:{key}"
        lock = f"{key}:lock"
        while True:
            try:
                found, value = self._get_or_lock(keys=[key, lock], args=[token, self._lock_ms])
            except redis.RedisError as exc:
                log.warning("step memo unavailable (%s); running %s without it", exc, key)
                return compute(), True
            if found:
                return json.loads(value), False
            if value == b"1":
                return self._compute_locked(key, lock, token, compute), True
            time.sleep(self._poll)

    def _compute_locked(self, key: str, lock: str, token: str, compute) -> dict[str, Any]:
        with self._held_lock:
            self._held[lock] = token
        stored = ""
        try:
            result = compute()
            stored = json.dumps(result)
            return result
        finally:
            with self._held_lock:
                self._held.pop(lock, None)
            with contextlib.suppress(redis.RedisError):  # an unstored result is recomputed; the lock lapses
                self._store_and_release(keys=[key, lock], args=[token, stored, self._ttl])

    def _refresh_loop(self) -> None:
        while True:
            time.sleep(self._lock_ms / 3000)
            with self._held_lock:
                held = list(self._held.items())
            for lock_key, token in held:
                with contextlib.suppress(redis.RedisError):
                    self._refresh(keys=[lock_key], args=[token, self._lock_ms])
