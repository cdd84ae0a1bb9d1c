"""The gateway's HTTP API, called with the socket client's own token: the notifier reads no database.

Whatever a socket does, the gateway decides with the same checks as the HTTP call it stands for; the notifier
keeps no copy of who may do what (two replicas would disagree), so it asks at connect and on every action.
"""

import dataclasses
import json
from typing import Any
from urllib.parse import quote

import aiohttp


class GatewayUnavailable(Exception):
    """The gateway could not be reached or did not answer in time."""


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    body: Any  # the JSON body (a problem+json object for errors), or None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def problem(self) -> dict[str, Any]:
        """The gateway's problem, as an `error` event carries it."""
        body = self.body if isinstance(self.body, dict) else {}
        keys = ("type", "title", "status", "detail", "errors")
        return {key: body[key] for key in keys if key in body} or {"status": self.status}


class Gateway:
    """GET/POST on the gateway as the client; an answer of any status, or GatewayUnavailable."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str):
        self._session = session
        self._base = base_url.rstrip("/")

    async def get(self, path: str, token: str) -> Answer:
        return await self._call("GET", path, token)

    async def post(
        self, path: str, token: str, body: dict[str, Any] | None = None, idempotency_key: str | None = None
    ) -> Answer:
        return await self._call("POST", path, token, body or {}, idempotency_key)

    async def _call(
        self, method: str, path: str, token: str, body: dict | None = None, idempotency_key: str | None = None
    ) -> Answer:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if idempotency_key is not None:  # the gateway checks it (1-255 visible ASCII characters, else a 422)
            headers["Idempotency-Key"] = idempotency_key
        try:
            async with self._session.request(method, self._base + path, json=body, headers=headers) as response:
                text = await response.text()
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise GatewayUnavailable(f"the gateway did not answer {method} {path}: {exc!r}") from None
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        return Answer(response.status, parsed)


def segment(value: str) -> str:
    """A path segment as the client gave it, quoted so it cannot leave its place in the path."""
    return quote(value, safe="")
