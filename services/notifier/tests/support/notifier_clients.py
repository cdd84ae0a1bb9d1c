"""Push clients for the tests: SSE and WebSocket over aiohttp, on an event loop of their own thread."""

import asyncio
import json
import threading
from collections.abc import Coroutine

import aiohttp


class LoopThread:
    """An asyncio loop running on a daemon thread; run coroutines on it from sync tests."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()
        self.session: aiohttp.ClientSession = self.run(self._session())

    async def _session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, sock_connect=5))

    async def _shutdown(self) -> None:
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.session.close()

    def run(self, coro: Coroutine, timeout: float = 30.0):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def spawn(self, coro: Coroutine):
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def close(self) -> None:
        self.run(self._shutdown())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)


class PushClient:
    """Collects what one connection receives: `events` (dicts with stream_id), or the refusal."""

    def __init__(self, loop: LoopThread, base_url: str, token: str | None = None, last_event_id: str | None = None):
        self._loop = loop
        self._base_url = base_url
        self.token = token
        self.last_event_id = last_event_id
        self.events: list[dict] = []
        self.status: int | None = None
        self.problem: dict | None = None
        self.closed_by_server: str | None = None  # SSE: the event that ended it; WebSocket: the close code
        self.closed_with: dict | None = None  # SSE: that event's data
        self._connected = threading.Event()
        self._changed = threading.Condition()
        self._task = None

    def start(self, timeout: float = 10.0):
        self._task = self._loop.spawn(self._run())
        assert self._connected.wait(timeout), "the push connection did not open"
        return self

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def wait_for(self, count: int, timeout: float = 15.0) -> list[dict]:
        with self._changed:
            self._changed.wait_for(lambda: len(self.events) >= count, timeout=timeout)
            return list(self.events)

    @property
    def ids(self) -> list[str]:
        return [e["id"] for e in self.events]

    def _received(self, event: dict) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    async def _refused(self, response) -> None:
        self.status = response.status
        self.problem = {"content_type": response.content_type, **(await response.json(content_type=None))}
        self._connected.set()

    async def _run(self) -> None:
        raise NotImplementedError


class SseClient(PushClient):
    """EventSource-like: `Authorization: Bearer` (or ?access_token= with `via_query`), Last-Event-ID header."""

    def __init__(self, *args, via_query: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.via_query = via_query
        self.comments: list[str] = []

    async def _run(self) -> None:
        headers, params = {"Accept": "text/event-stream"}, {}
        if self.token and self.via_query:
            params["access_token"] = self.token
        elif self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.last_event_id and self.via_query:
            params["last_event_id"] = self.last_event_id
        elif self.last_event_id:
            headers["Last-Event-ID"] = self.last_event_id
        url = self._base_url + "/api/events/stream"
        async with self._loop.session.get(url, headers=headers, params=params) as response:
            if response.status != 200:
                await self._refused(response)
                return
            self.status = 200
            self.content_type = response.headers.get("content-type", "")
            fields: dict[str, str] = {}
            async for raw in response.content:
                line = raw.decode().rstrip("\r\n")
                if line.startswith(":"):
                    self.comments.append(line)
                    self._connected.set()
                elif line:
                    name, _, value = line.partition(":")
                    fields[name] = value.removeprefix(" ")
                elif fields:
                    self._dispatch(fields)
                    fields = {}

    def _dispatch(self, fields: dict[str, str]) -> None:
        if fields.get("event") in ("closed", "token_expired"):
            self.closed_with = json.loads(fields.get("data") or "null")
            self.closed_by_server = fields["event"]
            return
        if "data" in fields and "id" in fields:
            data = json.loads(fields["data"])
            self._received({**data, "stream_id": fields["id"], "event": fields.get("event")})


class WsClient(PushClient):
    """A browser-like WebSocket client: token and last id in the query string."""

    async def _run(self) -> None:
        params = {}
        if self.token:
            params["access_token"] = self.token
        if self.last_event_id:
            params["last_event_id"] = self.last_event_id
        url = self._base_url + "/ws/events"
        try:
            ws = await self._loop.session.ws_connect(url, params=params, heartbeat=None)
        except aiohttp.WSServerHandshakeError as exc:
            self.status = exc.status
            self._connected.set()
            return
        async with ws:
            self.status = 101
            self._connected.set()
            async for message in ws:
                if message.type == aiohttp.WSMsgType.TEXT:
                    self._received(json.loads(message.data))
            self.closed_by_server = str(ws.close_code)


async def refused(session: aiohttp.ClientSession, url: str, **kwargs) -> tuple[int, str, dict]:
    """(status, content type, JSON body) of a request the server answers without streaming."""
    async with session.get(url, **kwargs) as response:
        return response.status, response.content_type, await response.json(content_type=None)
