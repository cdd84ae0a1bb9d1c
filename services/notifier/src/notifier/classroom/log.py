"""Each live session's recent events in Redis: the latest state and a window to resume from, for every replica.

One sorted set per session, scored by `seq`, holds the events as clients receive them (each with the state
after it, so the highest is the session's current state). Recording is idempotent by seq: the first copy of an
event is kept, a redelivery (or the other consumer's copy) changes nothing. The set keeps the newest `window`
events and lives `ttl` seconds after its last event; the lecture's set of sessions lives as long, so a
dashboard finds the sessions of its lecture. Keys carry the lecture id as a hash tag: one Redis Cluster slot.
"""

import dataclasses
import json
from functools import cached_property
from typing import Any

from shared.messages.classroom import SessionEvent

# KEYS: the session's log, the lecture's sessions. ARGV: seq, payload, window, ttl, session id.
_RECORD = """
if redis.call('ZCOUNT', KEYS[1], ARGV[1], ARGV[1]) == 0 then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('SADD', KEYS[2], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[4])
"""
RECORD = _RECORD + "return 1\n"
# The same, then every event after ARGV[6]: a replica's wake-up in one round trip.
RECORD_AND_READ = _RECORD + "return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[6], '+inf', 'WITHSCORES')\n"


def client_payload(event: SessionEvent) -> str:
    """The event as a socket client receives it (one JSON object, rendered once)."""
    body = {
        "type": event.type,
        "seq": event.seq,
        "id": event.id,
        "session_id": event.session_id,
        "code": event.code,
        "lecture_id": event.lecture_id,
        "occurred_at": event.occurred_at,
        "data": event.data,
        "state": event.state,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


@dataclasses.dataclass(frozen=True, eq=False)
class Row:
    """One recorded event: its seq and the JSON clients receive."""

    seq: int
    payload: str

    @cached_property
    def body(self) -> dict[str, Any]:
        return json.loads(self.payload)

    @property
    def type(self) -> str:
        return self.body["type"]

    @property
    def about_participant(self) -> str | None:
        """The participant an event is about (its `data.participant_id`), if any."""
        data = self.body.get("data")
        return str(data["participant_id"]) if isinstance(data, dict) and data.get("participant_id") else None

    def state_message(self) -> str:
        """The session's state at this seq, as the `state` message a (re)connecting client gets."""
        body = self.body
        keys = ("session_id", "code", "lecture_id", "seq", "state")
        return json.dumps({"type": "state", **{k: body[k] for k in keys}}, ensure_ascii=False, separators=(",", ":"))


@dataclasses.dataclass(frozen=True)
class Resume:
    """What a (re)joining client of one session gets: the latest event (for the state) and the events it missed."""

    head: Row | None  # None: nothing recorded for the session (no event yet, or the window expired)
    after: list[Row] | None  # the events after the client's seq, if the window still holds all of them


class LogKeys:
    def __init__(self, prefix: str, window: int, ttl_seconds: int):
        self.prefix, self.window, self.ttl = prefix, window, ttl_seconds

    def log(self, lecture_id: str, session_id: str) -> str:
        return f"{self.prefix}:classroom:{{{lecture_id}}}:log:{session_id}"

    def sessions(self, lecture_id: str) -> str:
        return f"{self.prefix}:classroom:{{{lecture_id}}}:sessions"

    def record_args(self, event: SessionEvent) -> tuple[list[str], list]:
        keys = [self.log(event.lecture_id, event.session_id), self.sessions(event.lecture_id)]
        return keys, [event.seq, client_payload(event), self.window, self.ttl, event.session_id]


def rows(flat: list) -> list[Row]:
    """[member, score, member, score, ...] (a script's WITHSCORES answer) or [(member, score), ...] as Rows."""
    pairs = zip(flat[::2], flat[1::2], strict=True) if flat and not isinstance(flat[0], tuple | list) else flat
    return [Row(int(float(score)), _text(member)) for member, score in pairs]


def contiguous(after: int, found: list[Row]) -> bool:
    """Whether `found` is exactly the events after..after + n, with nothing missing."""
    return all(row.seq == after + i + 1 for i, row in enumerate(found))


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


class SessionLog:
    """The session logs over redis.asyncio (a replica's event loop)."""

    def __init__(self, client, keys: LogKeys):
        self._client = client
        self._keys = keys
        self._record_and_read = client.register_script(RECORD_AND_READ)

    async def record_and_read(self, event: SessionEvent, after: int) -> list[Row]:
        """Record the event (once), then every recorded event of its session after `after`, by seq."""
        keys, args = self._keys.record_args(event)
        return rows(await self._record_and_read(keys=keys, args=[*args, after]))

    async def read_after(self, lecture_id: str, session_id: str, after: int) -> list[Row]:
        found = await self._client.zrangebyscore(
            self._keys.log(lecture_id, session_id), f"({after}", "+inf", withscores=True
        )
        return rows(found)

    async def resume(self, lecture_id: str, session_id: str, last_seq: int | None) -> Resume:
        """The latest event, and the events after `last_seq` if the window holds every one of them."""
        key = self._keys.log(lecture_id, session_id)
        pipe = self._client.pipeline(transaction=True)
        pipe.zrange(key, -1, -1, withscores=True)
        if last_seq is not None:
            pipe.zrangebyscore(key, f"({last_seq}", "+inf", withscores=True)
        answers = await pipe.execute()
        head = rows(answers[0])
        after = rows(answers[1]) if last_seq is not None else None
        if after is not None and not contiguous(last_seq, after):
            after = None
        return Resume(head[0] if head else None, after)

    async def sessions(self, lecture_id: str) -> list[str]:
        """The lecture's sessions with events in the window."""
        return sorted(_text(member) for member in await self._client.smembers(self._keys.sessions(lecture_id)))


class SyncSessionLog:
    """The same logs over a synchronous Redis client (the `notifier.events` consumer's thread)."""

    def __init__(self, client, keys: LogKeys):
        self._keys = keys
        self._record = client.register_script(RECORD)

    def record(self, event: SessionEvent) -> None:
        keys, args = self._keys.record_args(event)
        self._record(keys=keys, args=args)
