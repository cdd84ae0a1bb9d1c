"""Each user's recent events, in one Redis stream per user: the resume window of the push channels.

An event is appended once, whoever asks first (the `notifier.events` consumer, or
a real-time replica that got the event from its own queue sooner): a Lua script
keyed by the event id appends it and remembers the stream id, and every later
call returns that same id. The stream id is what SSE sends as `id:`, so a
client resumes with XRANGE after its Last-Event-ID.

The window: the newest `maxlen` events (about; Redis trims in whole nodes) of
the last `window_seconds`; a stream with no new event for that long is deleted.
"""

import json
import re
from typing import Any

from shared.messages import DomainEvent

STREAM_ID = re.compile(r"^\d{1,20}-\d{1,20}$")
START = "0-0"
READ_BATCH = 500

# KEYS: the event's dedupe key, the user's stream. ARGV: payload, maxlen, window seconds, dedupe seconds.
_APPEND = """
local id = redis.call('GET', KEYS[1])
if not id then
  id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'e', ARGV[1])
  local now = redis.call('TIME')
  local oldest = (tonumber(now[1]) - tonumber(ARGV[3])) * 1000
  redis.call('XTRIM', KEYS[2], 'MINID', string.format('%d', oldest))
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  redis.call('SET', KEYS[1], id, 'EX', ARGV[4])
end
"""
APPEND_ONCE = _APPEND + "return id\n"
# The same, then up to ARGV[6] entries after ARGV[5]: a replica's wake-up in one round trip.
APPEND_AND_READ = _APPEND + "return redis.call('XRANGE', KEYS[2], '(' .. ARGV[5], '+', 'COUNT', ARGV[6])\n"


def push_payload(event: DomainEvent) -> dict[str, Any]:
    """What a connected client receives for `event`."""
    return {
        "id": event.id,
        "type": event.type,
        "title": event.title,
        "body": event.body,
        "data": event.data,
        "notification_id": event.notification_id,
        "occurred_at": event.occurred_at,
    }


def is_stream_id(value: str) -> bool:
    return bool(STREAM_ID.match(value))


def id_key(stream_id: str) -> tuple[int, int]:
    """A stream id as a sortable pair."""
    ms, _, seq = stream_id.partition("-")
    return int(ms), int(seq or 0)


class StreamKeys:
    """Key names; `{user_id}` is a hash tag, so one user's keys share a Redis Cluster slot."""

    def __init__(self, prefix: str, maxlen: int, window_seconds: int):
        self.prefix = prefix
        self.maxlen = maxlen
        self.window_seconds = window_seconds

    def stream(self, user_id: str) -> str:
        return f"{self.prefix}:stream:{{{user_id}}}"

    def appended(self, user_id: str, event_id: str) -> str:
        return f"{self.prefix}:appended:{{{user_id}}}:{event_id}"

    def append_args(self, event: DomainEvent) -> tuple[list[str], list]:
        keys = [self.appended(event.user_id, event.id), self.stream(event.user_id)]
        payload = json.dumps(push_payload(event), ensure_ascii=False, separators=(",", ":"))
        # The dedupe record outlives the window, so a late redelivery cannot append a second copy.
        return keys, [payload, self.maxlen, self.window_seconds, 2 * self.window_seconds]


def _entries(rows) -> list[tuple[str, str]]:
    return [(_text(sid), _text(fields.get("e", fields.get(b"e")))) for sid, fields in rows]


def _field(flat: list) -> str:
    """The `e` field of an entry as a script returns it: a flat [name, value, ...] list."""
    pairs = dict(zip(map(_text, flat[::2]), flat[1::2], strict=True))
    return _text(pairs["e"])


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


class EventStream:
    """The per-user streams over a synchronous Redis client (consumer threads)."""

    def __init__(self, client, keys: StreamKeys):
        self._client = client
        self._keys = keys
        self._append = client.register_script(APPEND_ONCE)

    def append_once(self, event: DomainEvent) -> str:
        """The event's stream id, appending it if nobody has yet."""
        keys, args = self._keys.append_args(event)
        return _text(self._append(keys=keys, args=args))

    def read_after(self, user_id: str, after: str, count: int = READ_BATCH) -> list[tuple[str, str]]:
        return _entries(self._client.xrange(self._keys.stream(user_id), f"({after}", "+", count=count))


class AsyncEventStream:
    """The same streams over redis.asyncio (the real-time server's event loop)."""

    def __init__(self, client, keys: StreamKeys):
        self._client = client
        self._keys = keys
        self._append = client.register_script(APPEND_ONCE)
        self._append_and_read = client.register_script(APPEND_AND_READ)

    async def append_once(self, event: DomainEvent) -> str:
        keys, args = self._keys.append_args(event)
        return _text(await self._append(keys=keys, args=args))

    async def append_and_read(self, event: DomainEvent, after: str) -> list[tuple[str, str]]:
        """append_once, then every entry after `after`, oldest first."""
        keys, args = self._keys.append_args(event)
        rows = await self._append_and_read(keys=keys, args=[*args, after, READ_BATCH])
        entries = [(_text(sid), _field(fields)) for sid, fields in rows]
        if len(rows) < READ_BATCH:
            return entries
        return entries + await self.read_after(event.user_id, entries[-1][0])

    async def read_after(self, user_id: str, after: str) -> list[tuple[str, str]]:
        """Every entry after `after`, oldest first."""
        entries: list[tuple[str, str]] = []
        while True:
            rows = await self._client.xrange(self._keys.stream(user_id), f"({after}", "+", count=READ_BATCH)
            entries += _entries(rows)
            if len(rows) < READ_BATCH:
                return entries
            after = entries[-1][0]

    async def last_id(self, user_id: str) -> str:
        """The newest entry's id, or 0-0 for an empty stream."""
        rows = await self._client.xrevrange(self._keys.stream(user_id), "+", "-", count=1)
        return _text(rows[0][0]) if rows else START
