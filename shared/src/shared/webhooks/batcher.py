"""A background thread that gathers items from many threads into batches, each sent as one request."""

import queue
import threading
import time
from concurrent.futures import Future

_STOP = object()


class Batcher:
    """Items are gathered for `linger_seconds` (or until `max_batch`) and handed to `_send` together.

    Subclasses implement `_send(batch)`, where `batch` is a list of (item, Future) and every
    Future must be resolved; `submit` gives callers that Future.
    """

    def __init__(self, max_batch: int, linger_seconds: float, name: str):
        self._max_batch = max_batch
        self._linger = linger_seconds
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=10)

    def submit(self, item) -> "Future[str]":
        future: Future = Future()
        self._queue.put((item, future))
        return future

    def _send(self, batch: list) -> None:
        raise NotImplementedError

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch, stop = self._gather(first)
            self._send(batch)
            if stop:
                return

    def _gather(self, first) -> tuple[list, bool]:
        batch = [first]
        deadline = time.monotonic() + self._linger
        while len(batch) < self._max_batch:
            remaining = deadline - time.monotonic()
            try:
                item = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                return batch, True
            batch.append(item)
        return batch, False
