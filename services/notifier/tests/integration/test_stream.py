"""The per-user streams on the real Redis: appended once per event id, read after an id, trimmed to a window."""

import asyncio
import uuid

import redis.asyncio as aioredis
from notifier_stack import REDIS_URL, domain_event, redis_client

from notifier.stream import AsyncEventStream, EventStream, StreamKeys


def keys(redis_prefix: str, maxlen: int = 1000) -> StreamKeys:
    return StreamKeys(f"{redis_prefix}:stream-tests", maxlen, 3600)


def test_an_event_is_appended_once_whoever_asks(redis_prefix):
    k = keys(redis_prefix)
    stream = EventStream(redis_client(), k)
    owner = str(uuid.uuid4())
    event = domain_event(owner)
    first, again = stream.append_once(event), stream.append_once(event)

    async def from_a_replica():
        client = aioredis.Redis.from_url(REDIS_URL, decode_responses=True)
        try:
            return await AsyncEventStream(client, k).append_and_read(event, "0-0")
        finally:
            await client.aclose()

    [(stream_id, payload)] = asyncio.run(from_a_replica())
    assert first == again == stream_id
    assert redis_client().xlen(k.stream(owner)) == 1 and event.id in payload
    assert 0 < redis_client().ttl(k.stream(owner)) <= 3600


def test_reads_start_after_the_given_id_and_the_stream_keeps_its_newest_entries(redis_prefix):
    k = keys(redis_prefix, maxlen=10)
    stream = EventStream(redis_client(), k)
    owner = str(uuid.uuid4())
    ids = [stream.append_once(domain_event(owner, title=str(n))) for n in range(300)]
    assert [i for i, _ in stream.read_after(owner, ids[-3])] == ids[-2:]
    assert 10 <= redis_client().xlen(k.stream(owner)) < 300  # MAXLEN ~ trims whole nodes at a time
