"""The hub over a fake stream: each connection gets each entry once, in stream order, whatever wakes it."""

import asyncio
import json

from notifier.realtime.hub import Connection, Entry, Hub
from notifier.stream import START, id_key, is_stream_id
from shared.messages import DomainEvent


class FakeStream:
    """AsyncEventStream's behaviour over a dict of lists (ids are 1-0, 2-0, ...)."""

    def __init__(self):
        self.entries: dict[str, list[tuple[str, str]]] = {}
        self.appended: dict[str, str] = {}

    def add(self, user_id: str, event_id: str, kind: str = "job.completed") -> str:
        if event_id not in self.appended:
            stream = self.entries.setdefault(user_id, [])
            self.appended[event_id] = f"{len(stream) + 1}-0"
            stream.append((self.appended[event_id], json.dumps({"id": event_id, "type": kind})))
        return self.appended[event_id]

    async def append_once(self, event: DomainEvent) -> str:
        return self.add(event.user_id, event.id, event.type)

    async def append_and_read(self, event: DomainEvent, after: str) -> list[tuple[str, str]]:
        await self.append_once(event)
        return await self.read_after(event.user_id, after)

    async def read_after(self, user_id: str, after: str) -> list[tuple[str, str]]:
        return [e for e in self.entries.get(user_id, []) if id_key(e[0]) > id_key(after)]

    async def last_id(self, user_id: str) -> str:
        stream = self.entries.get(user_id)
        return stream[-1][0] if stream else START


def event(user_id: str, event_id: str) -> DomainEvent:
    return DomainEvent(id=event_id, type="job.completed", user_id=user_id, occurred_at="t", title="T", body="B")


def drain(connection: Connection) -> list[str]:
    async def take():
        batch = await connection.next_batch(0.01)
        return [json.loads(e.payload)["id"] for e in batch or []]

    return asyncio.run(take())


def test_an_entry_renders_once_for_sse_and_websocket():
    entry = Entry("1700000000000-3", '{"id":"e1","type":"job.completed"}')
    assert entry.sse == b'id: 1700000000000-3\nevent: job.completed\ndata: {"id":"e1","type":"job.completed"}\n\n'
    assert json.loads(entry.ws) == {"id": "e1", "type": "job.completed", "stream_id": "1700000000000-3"}


def test_a_connection_takes_only_ids_after_its_last_one():
    connection = Connection("u", "2-0", max_pending=10)
    for stream_id in ("1-0", "2-0", "3-0", "3-0", "4-0"):
        connection.offer(Entry(stream_id, json.dumps({"id": stream_id})))
    assert drain(connection) == ["3-0", "4-0"]


def test_a_connection_that_falls_too_far_behind_is_closed():
    connection = Connection("u", START, max_pending=2)
    for n in range(1, 5):
        connection.offer(Entry(f"{n}-0", json.dumps({"id": n})))
    assert connection.closed_reason and "Last-Event-ID" in connection.closed_reason
    assert asyncio.run(connection.next_batch(0.01)) is None


def test_live_events_replay_and_wakeups_never_duplicate():
    async def scenario():
        stream = FakeStream()
        hub = Hub(stream)
        stream.add("alice", "a1")
        stream.add("alice", "a2")
        resumed = await hub.attach("alice", "1-0")  # saw a1 before
        fresh = await hub.attach("alice", None)  # starts from now
        stream.add("alice", "a3")  # appended by the events consumer before the wake-up arrives
        await hub.publish(event("alice", "a4"))  # the wake-up for a4 also brings a3
        await hub.publish(event("alice", "a3"))  # a3's own wake-up, late: nothing new
        await hub.publish(event("bob", "b1"))  # bob is not connected here
        await hub.sweep()
        return resumed, fresh, stream, hub

    resumed, fresh, stream, hub = asyncio.run(scenario())
    assert drain(resumed) == ["a2", "a3", "a4"]
    assert drain(fresh) == ["a3", "a4"]
    assert "bob" not in stream.entries and hub.connections == 2


def test_detaching_the_last_connection_forgets_the_user():
    async def scenario():
        hub = Hub(FakeStream())
        one, two = await hub.attach("alice", None), await hub.attach("alice", None)
        hub.detach(one)
        still = hub.has_user("alice")
        hub.detach(two)
        hub.detach(two)
        return still, hub

    still, hub = asyncio.run(scenario())
    assert still and not hub.has_user("alice") and hub.connections == 0


def test_stream_ids_are_validated():
    assert is_stream_id("1700000000000-0") and not is_stream_id("yesterday") and not is_stream_id("1-0; DROP")
    assert id_key("10-2") > id_key("9-99") > id_key("9-3")


def test_a_replica_appends_a_users_events_in_the_order_they_arrived():
    class SlowStream(FakeStream):
        async def append_once(self, event):
            await asyncio.sleep(0.001 * (hash(event.id) % 5))  # Redis answers out of step
            return await super().append_once(event)

    async def scenario():
        stream = SlowStream()
        hub = Hub(stream)
        connection = await hub.attach("alice", None)
        wakeups = [asyncio.create_task(hub.publish(event("alice", f"e{n}"))) for n in range(20)]
        await asyncio.gather(*wakeups)
        return stream, connection

    stream, connection = asyncio.run(scenario())
    expected = [f"e{n}" for n in range(20)]
    assert [json.loads(payload)["id"] for _, payload in stream.entries["alice"]] == expected
    assert drain(connection) == expected
