"""Who is connected to this replica, and what each connection has been sent.

The user's Redis stream is the only source of what a client sees: a broker
message is just a wake-up that says "this user's stream has news". On each
wake-up the replica makes sure the event is in the stream (append_once: a no-op
when the `notifier.events` consumer appended it first), reads the stream after
the user's cursor, and offers every new entry to each of the user's connections,
which take only ids above the last one they were given. So a client sees each
event once and in stream order, whether it came live, in a replay after
Last-Event-ID, or in a sweep after the broker connection was lost, and no
replica needs to know about the others.
"""

import asyncio
import dataclasses
import json
import logging
from functools import cached_property

from notifier.stream import AsyncEventStream, id_key
from shared.messages import DomainEvent

log = logging.getLogger(__name__)


@dataclasses.dataclass(eq=False)
class Entry:
    """One stream entry, rendered once per replica for every connection that gets it."""

    stream_id: str
    payload: str  # the JSON the client receives (no newlines: json.dumps escapes them)

    @cached_property
    def type(self) -> str:
        return "".join(str(json.loads(self.payload).get("type", "message")).split())

    @cached_property
    def sse(self) -> bytes:
        return f"id: {self.stream_id}\nevent: {self.type}\ndata: {self.payload}\n\n".encode()

    @cached_property
    def ws(self) -> str:
        """The same JSON plus `stream_id` (a WebSocket client resumes with ?last_event_id=<stream_id>)."""
        return self.payload[:-1] + f',"stream_id":"{self.stream_id}"}}'


TRY_AGAIN_CLOSE = 1013  # WebSocket "try again later": the client reconnects with its last id


class Connection:
    """One SSE or WebSocket client: the entries waiting to be written, and the last id given."""

    def __init__(self, user_id: str, last_id: str, max_pending: int, session_id: str | None = None):
        self.user_id = user_id
        self.session_id = session_id  # the token's `sid`: a revoked session closes its connections
        self.last_id = last_id
        self.closed_reason: str | None = None
        self.close_code = TRY_AGAIN_CLOSE
        self._max_pending = max_pending
        self._queue: asyncio.Queue[Entry | None] = asyncio.Queue()

    def offer(self, entry: Entry, replay: bool = False) -> None:
        """Queue `entry` unless this connection was given it (or a later one) already."""
        if self.closed_reason or id_key(entry.stream_id) <= id_key(self.last_id):
            return
        if not replay and self._queue.qsize() >= self._max_pending:
            self.close("the client fell too far behind; reconnect with Last-Event-ID")
            return
        self.last_id = entry.stream_id
        self._queue.put_nowait(entry)

    def close(self, reason: str, code: int = TRY_AGAIN_CLOSE) -> None:
        """Nothing more is sent (entries still waiting are dropped); the client is told `reason` and `code`."""
        if self.closed_reason is None:
            self.closed_reason, self.close_code = reason, code
            self._queue.put_nowait(None)

    async def next_batch(self, timeout: float) -> list[Entry] | None:
        """Everything waiting (at least one entry, or [] after `timeout`); None once closed."""
        try:
            first = await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return []
        batch = [first]
        while not self._queue.empty():
            batch.append(self._queue.get_nowait())
        if None in batch:
            return None
        return batch


@dataclasses.dataclass(eq=False)
class UserFeed:
    """A user's connections on this replica, and how far this replica has read the user's stream."""

    connections: set[Connection] = dataclasses.field(default_factory=set)
    cursor: str | None = None
    refs: int = 0
    lock: asyncio.Lock = dataclasses.field(default_factory=asyncio.Lock)


class Hub:
    """The connections of this replica, by user."""

    def __init__(self, stream: AsyncEventStream, max_pending: int = 1000):
        self._stream = stream
        self._max_pending = max_pending
        self._feeds: dict[str, UserFeed] = {}
        self.connections = 0

    def has_user(self, user_id: str) -> bool:
        return user_id in self._feeds

    async def attach(self, user_id: str, last_event_id: str | None, session_id: str | None = None) -> Connection:
        """A new connection; with `last_event_id`, the entries after it are queued first (not sent yet)."""
        feed = self._feeds.setdefault(user_id, UserFeed())
        feed.refs += 1
        try:
            async with feed.lock:
                if feed.cursor is None:
                    feed.cursor = await self._stream.last_id(user_id)
                connection = Connection(user_id, last_event_id or feed.cursor, self._max_pending, session_id)
                if last_event_id is not None:
                    for stream_id, payload in await self._stream.read_after(user_id, last_event_id):
                        connection.offer(Entry(stream_id, payload), replay=True)
                feed.connections.add(connection)
        except BaseException:
            self._release(user_id, feed)
            raise
        self.connections += 1
        return connection

    def detach(self, connection: Connection) -> None:
        feed = self._feeds.get(connection.user_id)
        if feed is not None and connection in feed.connections:
            feed.connections.discard(connection)
            self.connections -= 1
            self._release(connection.user_id, feed)

    def _release(self, user_id: str, feed: UserFeed) -> None:
        feed.refs -= 1
        if feed.refs == 0 and self._feeds.get(user_id) is feed:
            del self._feeds[user_id]

    async def publish(self, event: DomainEvent) -> None:
        """A wake-up from the broker: make sure the event is in the stream, then send what is new.

        Wake-ups start in queue order and take the user's lock before their first await (asyncio
        locks are FIFO), so this replica appends a user's events in the order they were published.
        """
        feed = self._feeds.get(event.user_id)
        if feed is None or not event.realtime:
            return
        async with feed.lock:
            if feed.cursor is None:
                return
            self._offer(feed, await self._stream.append_and_read(event, feed.cursor))

    async def sweep(self) -> None:
        """Read every connected user's stream (after a broker outage, and now and then)."""
        for user_id, feed in list(self._feeds.items()):
            try:
                await self._pump(user_id, feed)
            except Exception as exc:  # noqa: BLE001 - one user's failure must not stop the sweep
                log.warning("sweep of %s failed: %r", user_id, exc)

    def close_all(self, reason: str) -> None:
        for feed in list(self._feeds.values()):
            for connection in list(feed.connections):
                connection.close(reason)

    def close_user(self, user_id: str, reason: str, code: int, session_id: str | None = None) -> int:
        """Close the user's connections (only those of `session_id`, if given); how many were open."""
        feed = self._feeds.get(user_id)
        chosen = [c for c in feed.connections if session_id in (None, c.session_id)] if feed else []
        for connection in chosen:
            connection.close(reason, code)
        return len(chosen)

    def sessions(self) -> dict[str, set[str | None]]:
        """The sessions connected here, by user."""
        return {user: {c.session_id for c in feed.connections} for user, feed in self._feeds.items()}

    async def _pump(self, user_id: str, feed: UserFeed) -> None:
        async with feed.lock:
            await self._read(user_id, feed)

    async def _read(self, user_id: str, feed: UserFeed) -> None:
        """With the feed's lock held: offer every entry after the cursor to every connection."""
        if feed.cursor is None:
            return
        self._offer(feed, await self._stream.read_after(user_id, feed.cursor))

    def _offer(self, feed: UserFeed, rows: list[tuple[str, str]]) -> None:
        for stream_id, payload in rows:
            entry = Entry(stream_id, payload)
            for connection in list(feed.connections):
                connection.offer(entry)
        if rows:
            feed.cursor = rows[-1][0]
