"""The activity consumer's writer: stores the batches it is handed, in order, on a thread of its own.

The pika connection's thread reads and decodes the next batch while this one waits on PostgreSQL. Each batch is
acked only once stored, through `add_callback_threadsafe` (pika connections are not thread-safe). A database
error stops the writer; the consumer sees it (`check`) and reconnects, reading again from the stored offset.
"""

import contextlib
import logging
import queue
import threading
from collections.abc import Callable

import psycopg

from gateway.classroom.activity_log_store import ActivityLogStore

log = logging.getLogger("gateway.activity_consumer")
Read = list[tuple[int, list[tuple]]]  # (offset, rows) of each message of a batch


class BatchWriter(threading.Thread):
    """Saves (messages, next offset) in the order handed over, then runs each batch's ack on the pika thread."""

    def __init__(self, store: ActivityLogStore, on_pika_thread: Callable[[Callable[[], None]], None], depth: int = 2):
        super().__init__(name="activity-writer", daemon=True)
        self._store = store
        self._on_pika_thread = on_pika_thread
        self._jobs: queue.Queue = queue.Queue(maxsize=depth)
        self.failure: BaseException | None = None
        self.stored = 0  # events newly stored

    def has_room(self) -> bool:
        return not self._jobs.full()

    def hand_over(self, read: Read, next_offset: int | None, ack: Callable[[], None]) -> None:
        self._jobs.put((read, next_offset, ack))

    def check(self) -> None:
        """Raise the error that stopped the writer, on the consumer's thread."""
        if self.failure is not None:
            raise self.failure

    def finish(self) -> None:
        """Store what was handed over, then end (at once if it failed)."""
        while self.is_alive():
            with contextlib.suppress(queue.Full):  # a writer that failed takes nothing more: is_alive says so
                self._jobs.put(None, timeout=0.2)
                break
        self.join()

    def run(self) -> None:
        while (job := self._jobs.get()) is not None:
            read, next_offset, ack = job
            try:
                if read:
                    self._save(read, next_offset)
            except Exception as exc:  # noqa: BLE001 - handed to the consumer's thread, which decides
                self.failure = exc
                return
            with contextlib.suppress(Exception):  # the connection may be gone: the offset is what counts
                self._on_pika_thread(ack)

    def _save(self, read: Read, next_offset: int) -> None:
        try:
            self.stored += self._store.save([row for _, rows in read for row in rows], next_offset)
        except (psycopg.DataError, psycopg.IntegrityError) as exc:
            log.warning("a batch of %d messages was refused (%s); storing them one by one", len(read), exc)
            for offset, rows in read:
                try:
                    self.stored += self._store.save(rows, offset + 1)
                except (psycopg.DataError, psycopg.IntegrityError) as refused:
                    log.error("offset %s: %d events refused by the table (%s); passed over", offset, len(rows), refused)
                    self._store.save([], offset + 1)
