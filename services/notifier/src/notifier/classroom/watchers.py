"""One classroom socket on this replica: who it is, what it may see, the last seq it was given per session."""

import asyncio
import dataclasses
import secrets
from collections.abc import Callable

from notifier.classroom.log import Row
from shared.messages.classroom import ABOUT_ONE_LEARNER

LEARNER, INSTRUCTOR, DASHBOARD = "learner", "instructor", "dashboard"
TRY_AGAIN_CLOSE = 1013  # WebSocket "try again later": reconnect and join with the last seq


@dataclasses.dataclass(frozen=True)
class Seat:
    """Where a socket sits: its role, its lecture, and (not for a dashboard) its session and participant."""

    role: str
    lecture_id: str
    session_id: str | None = None
    code: str | None = None
    participant_id: str | None = None
    user_id: str | None = None  # the access token's user (None for a participant token)
    token_session: str | None = None  # the access token's `sid`: a sign-out closes the socket


class Watcher:
    """The messages waiting to be written to one socket, in order, until it is closed or the client is gone."""

    def __init__(self, seat: Seat, max_pending: int):
        self.seat = seat
        self.id = secrets.token_hex(8)  # its presence entry (presence.py)
        self.last_seq: dict[str, int] = {}
        self.resume_from: dict[str, int] = {}  # a dashboard's join: the last seq it saw of each session
        self.joined = False
        self.closed_reason: str | None = None
        self.close_code = TRY_AGAIN_CLOSE
        self._max_pending = max_pending
        self.client_gone = False
        self.write_now: Callable[[str], bool] | None = None  # the fast path (fastsend.py), when on
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()  # None: stop writing
        self._in_writer = 0  # messages the writer took and has not written yet

    def may_see(self, row: Row) -> bool:
        if self.seat.role != LEARNER or row.type not in ABOUT_ONE_LEARNER:
            return True
        return row.about_participant == self.seat.participant_id

    def offer(self, session_id: str, row: Row) -> None:
        """Queue the event unless this socket was given it (or the state after it) already."""
        if self.closed_reason or row.seq <= self.last_seq.get(session_id, 0):
            return
        self.last_seq[session_id] = row.seq
        if not self.may_see(row):
            return
        if self._queue.qsize() >= self._max_pending:
            self.close("the client fell too far behind; reconnect and join with your last seq")
            return
        self._put(row.payload)

    def offer_state(self, session_id: str, head: Row) -> None:
        """Queue the session's state at `head.seq`, which covers every event up to it."""
        if self.closed_reason or head.seq <= self.last_seq.get(session_id, -1):
            return
        self.last_seq[session_id] = head.seq
        self._put(head.state_message())

    def say(self, message: str) -> None:
        """A reply to the client (acks, errors): in order with the events, never dropped for being behind."""
        if not self.closed_reason:
            self._put(message)

    def close(self, reason: str, code: int = TRY_AGAIN_CLOSE) -> None:
        """The server ends the socket: nothing more is sent (what waits is dropped); the client is told why."""
        if self.closed_reason is None and not self.client_gone:
            self.closed_reason, self.close_code = reason, code
            self._queue.put_nowait(None)

    def gone(self) -> None:
        """The client closed the socket or its connection dropped."""
        if self.closed_reason is None and not self.client_gone:
            self.client_gone = True
            self._queue.put_nowait(None)

    async def next_batch(self, timeout: float | None = None) -> list[str] | None:
        """Everything waiting (at least one message; [] after `timeout`, if given); None once closed or gone."""
        try:
            first = await (self._queue.get() if timeout is None else asyncio.wait_for(self._queue.get(), timeout))
        except TimeoutError:
            return []
        batch = [first]
        while not self._queue.empty():
            batch.append(self._queue.get_nowait())
        self._in_writer = len(batch)
        return None if None in batch else batch

    def written(self) -> None:
        """The writer has written everything it took."""
        self._in_writer = 0

    def _put(self, message: str) -> None:
        """Written at once when nothing is ahead of it and the socket takes it (the fast path), else queued."""
        idle = self.write_now is not None and not self._in_writer and self._queue.empty()
        if not (idle and self.write_now(message)):
            self._queue.put_nowait(message)
