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

RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
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
        self._release = client.register_script(RELEASE)
        self._refresh = client.register_script(REFRESH)
        self._held: dict[str, str] = {}
        self._held_lock = threading.Lock()
        self._refresher = threading.Thread(target=self._refresh_loop, name="memo-lock-refresher", daemon=True)
        self._refresher.start()

    def once(self, key: str, compute: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], bool]:
        """The stored result for `key`, or `compute()` stored under it; the flag says whether it was computed."""
        token = uuid.uuid4().hex
        key = f"{self._prefix}:{key}"
        while True:
            try:
                cached = self._redis.get(key)
                if cached is not None:
                    return json.loads(cached), False
                locked = self._redis.set(f"{key}:lock", token, nx=True, px=self._lock_ms)
            except redis.RedisError as exc:
                log.warning("step memo unavailable (%s); running %s without it", exc, key)
                return compute(), True
            if locked:
                return self._compute_locked(key, token, compute), True
            time.sleep(self._poll)

    def _compute_locked(self, key: str, token: str, compute) -> dict[str, Any]:
        with self._held_lock:
            self._held[f"{key}:lock"] = token
        try:
            result = compute()
            self._redis.set(key, json.dumps(result), ex=self._ttl)
            return result
        finally:
            with self._held_lock:
                self._held.pop(f"{key}:lock", None)
            with contextlib.suppress(redis.RedisError):  # the lock lapses on its own
                self._release(keys=[f"{key}:lock"], args=[token])

    def _refresh_loop(self) -> None:
        while True:
            time.sleep(self._lock_ms / 3000)
            with self._held_lock:
                held = list(self._held.items())
            for lock_key, token in held:
                with contextlib.suppress(redis.RedisError):
                    self._refresh(keys=[lock_key], args=[token, self._lock_ms])
