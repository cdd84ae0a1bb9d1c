"""A real, scriptable OpenAI-compatible HTTP server for tests (stdlib only, no SDK mocking).

Usage::

    with start_standin() as server:
        server.script(["ok", ("status", 429, {"retry-after-ms": "1"}), ("hang", 5.0), ("malformed",)])
        client = openai.OpenAI(api_key="sk-test", base_url=server.base_url)
        ...
        assert server.requests[0].authorization == "Bearer sk-test"

Behaviours (one is consumed per `POST /v1/chat/completions`; `server.default` applies once the queue is empty):

* ``"ok"`` / ``("ok",)`` / ``("ok", content)``: a proper ``chat.completion``; without ``content`` the reply is
  ``server.reply`` (a string, or a callable taking the parsed request body) or, failing that, generated from the
  request: ``- item`` lines when the system prompt mentions a checklist, else a short summary.
* ``("status", code)`` / ``("status", code, headers)`` / ``("status", code, headers, body)``: an OpenAI-style error.
* ``("hang", seconds)``: send nothing for ``seconds`` (to trip client timeouts), then try to answer "ok".
* ``("malformed",)``: 200, ``application/json``, but the body is not JSON.
* ``("no_choices",)`` / ``("empty",)``: a valid completion with ``choices: []`` / with empty content.
* ``("json", obj)``: 200 with ``obj`` as the JSON body.  ``("raw", status, body, content_type)``: anything at all.
* ``("drop",)``: close the connection without answering.

Structured output (a request with ``response_format: {"type": "json_schema", ...}``): "ok" answers with JSON that
matches the requested schema (`schema_instance`). For the retry paths:

* ``("structured", obj)``: ``obj`` as the JSON content (e.g. one that breaks the schema).
* ``("not_json",)``: content that is not JSON.  ``("off_schema",)``: a JSON object the schema does not describe.
* ``("refusal", text)``: the model refuses (``message.refusal``, no content).
* ``("cut_off",)``: ``finish_reason: "length"`` with JSON cut short.

Server-wide knobs: ``gate`` (a ``threading.Event``; every chat request blocks, after being recorded, until it is set),
``delay`` (seconds to wait before every chat answer), ``response_model`` (model name to report; default: echo the
request's model), ``reply``.  ``server.requests`` records every request (all paths) as `RecordedRequest`;
``server.wait_for_requests(n)`` waits until ``n`` have arrived (e.g. to know a gated call is in flight).

Note the SDK ignores ``retry-after: 0`` (it only honours delays > 0 and falls back to 0.5 s+ exponential back-off);
use ``{"retry-after-ms": "1"}`` (see `FAST_RETRY`) to make its retries near-instant.
"""

import collections
import contextlib
import dataclasses
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

from shared.testing import LocalServer

FAST_RETRY = {"retry-after-ms": "1"}
CHAT_PATH = "/v1/chat/completions"
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    403: "permission_denied",
    404: "not_found_error",
    429: "rate_limit_exceeded",
}


@dataclasses.dataclass
class RecordedRequest:
    """One request the stand-in received."""

    method: str
    path: str
    headers: dict[str, str]  # keys lower-cased
    raw_body: bytes
    json: Any  # the parsed body, or None if it was not JSON

    @property
    def authorization(self) -> str | None:
        return self.headers.get("authorization")

    @property
    def messages(self) -> list[dict]:
        return (self.json or {}).get("messages", []) if isinstance(self.json, dict) else []


def _normalise(behaviour: Any) -> tuple:
    """Turn "ok" into ("ok",) and leave tuples alone."""
    return (behaviour,) if isinstance(behaviour, str) else tuple(behaviour)


def _words(messages: list[dict]) -> int:
    """A crude token estimate for the usage block."""
    return sum(len(str(m.get("content", "")).split()) for m in messages if isinstance(m, dict))


def generated_reply(body: Any) -> str:
    """A deterministic answer derived from the request: checklist lines or a short summary."""
    messages = body.get("messages", []) if isinstance(body, dict) else []
    system = " ".join(str(m.get("content", "")) for m in messages if m.get("role") in ("system", "developer"))
    user = " ".join(str(m.get("content", "")) for m in messages if m.get("role") == "user").strip()
    if "checklist" in system.lower():
        parts = [p.strip(" -*\n") for p in user.replace("\n", ". ").split(".")]
        items = [p for p in parts if p] or ["Review the guideline"]
        return "\n".join(f"- {item}" for item in items[:10])
    words = user.split()
    return "Summary: " + (" ".join(words[:30]) or "(empty input)")


def schema_instance(schema: dict) -> Any:
    """A small JSON value that matches `schema` (the subset structured output uses: no length limits are sent)."""
    if "anyOf" in schema:
        return schema_instance(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {name: schema_instance(sub) for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [schema_instance(schema["items"]) for _ in range(max(schema.get("minItems", 0), 1))]
    if kind == "integer":
        return max(schema.get("minimum", 0), min(schema.get("maximum", 100), 50))
    if kind == "boolean":
        return False
    return "2024-01-01" if "pattern" in schema else "stand-in"


def json_schema_of(body: Any) -> dict | None:
    """The schema a chat request asks its answer to match, if it asks for structured output."""
    response_format = body.get("response_format") if isinstance(body, dict) else None
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        return response_format.get("json_schema", {}).get("schema")
    return None


class OpenAIStandin(LocalServer):
    """A threaded local server speaking enough of the OpenAI HTTP API for the chat completions adapter."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, default: Any = "ok"):
        super().__init__(_make_handler(self), host, port, name="openai-standin")
        self.default = default
        self.gate: threading.Event | None = None
        self.delay: float = 0.0
        self.response_model: str | None = None
        self.reply: str | Callable[[Any], str] | None = None
        self.requests: list[RecordedRequest] = []
        self._queue: collections.deque[tuple] = collections.deque()

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == CHAT_PATH]

    def script(self, behaviours: Iterable[Any]) -> None:
        """Queue behaviours, consumed one per chat request."""
        with self._lock:
            self._queue.extend(_normalise(b) for b in behaviours)

    def reset(self) -> None:
        """Forget queued behaviours and recorded requests."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> bool:
        """Block until at least `count` requests were received; False on timeout."""
        with self._lock:
            return self._lock.wait_for(lambda: len(self.requests) >= count, timeout=timeout)

    def _record(self, request: RecordedRequest) -> tuple:
        """Remember `request`; for chat requests, pop the behaviour to answer it with."""
        with self._lock:
            self.requests.append(request)
            self._lock.notify_all()
            if request.path != CHAT_PATH:
                return ("ok",)
            return self._queue.popleft() if self._queue else _normalise(self.default)

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless stopping; True if the server is stopping."""
        return self._stopping.wait(seconds) if seconds > 0 else self._stopping.is_set()

    def _wait_gate(self) -> bool:
        """Block while a gate is set up and closed; True if the server is stopping."""
        while self.gate is not None and not self.gate.wait(0.05):
            if self._stopping.is_set():
                return True
        return self._stopping.is_set()

    def completion(
        self,
        body: Any,
        content: str | None = None,
        choices: bool = True,
        refusal: str | None = None,
        finish_reason: str = "stop",
    ) -> dict:
        """A chat.completion body answering the parsed request `body`."""
        if content is None and refusal is None:
            content = self.reply(body) if callable(self.reply) else self.reply
        if content is None and refusal is None:
            schema = json_schema_of(body)
            content = json.dumps(schema_instance(schema)) if schema else generated_reply(body)
        model = self.response_model or (body.get("model") if isinstance(body, dict) else None) or "standin-model"
        prompt_tokens = _words(body.get("messages", []) if isinstance(body, dict) else [])
        completion_tokens = len((content or "").split())
        message = {"role": "assistant", "content": content, "refusal": refusal}
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}]
            if choices
            else [],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
            "system_fingerprint": "fp_standin",
        }


def error_body(status: int, message: str | None = None) -> dict:
    """An OpenAI-style error envelope."""
    kind = _ERROR_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return {"error": {"message": message or f"stand-in error {status}", "type": kind, "param": None, "code": kind}}


STRUCTURED = {  # structured-output answers that the worker must refuse
    "structured": lambda server, body, obj: server.completion(body, json.dumps(obj, ensure_ascii=False)),
    "not_json": lambda server, body: server.completion(body, "Sure! Here is the feedback: {matching_rate: high"),
    "off_schema": lambda server, body: server.completion(body, json.dumps({"unexpected": True})),
    "refusal": lambda server, body, text: server.completion(body, refusal=text),
    "cut_off": lambda server, body: server.completion(body, '{"parent_content": "# R', finish_reason="length"),
}


def _make_handler(server: OpenAIStandin) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to `server`."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._read()
            if self.path.rstrip("/") == "/v1/models":
                self._send_json(200, {"object": "list", "data": [{"id": "standin-model", "object": "model"}]})
            else:
                self._send_json(404, error_body(404, f"no route {self.path}"))

        def do_POST(self) -> None:
            request, behaviour = self._read()
            if request.path != CHAT_PATH:
                self._send_json(404, error_body(404, f"no route {request.path}"))
                return
            if server._wait_gate() or server._sleep(server.delay):
                self.close_connection = True
                return
            self._behave(request, behaviour)

        def _read(self) -> tuple[RecordedRequest, tuple]:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            headers = {k.lower(): v for k, v in self.headers.items()}
            request = RecordedRequest(self.command, self.path.split("?")[0], headers, raw, body)
            return request, server._record(request)

        def _behave(self, request: RecordedRequest, behaviour: tuple) -> None:
            kind, args = behaviour[0], behaviour[1:]
            if kind == "ok":
                self._send_json(200, server.completion(request.json, *args[:1]))
            elif kind == "status":
                status, headers = args[0], (args[1] if len(args) > 1 else None) or {}
                body = args[2] if len(args) > 2 else error_body(status)
                self._send_json(status, body, headers)
            elif kind == "hang":
                if not server._sleep(float(args[0])):
                    self._send_json(200, server.completion(request.json))
            elif kind == "malformed":
                self._send(200, b'{"id": "chatcmpl-broken", "choices": [ this is not json', "application/json")
            elif kind in ("no_choices", "empty"):
                content = "" if kind == "empty" else None
                self._send_json(200, server.completion(request.json, content, choices=kind == "empty"))
            elif kind == "json":
                self._send_json(200, args[0])
            elif kind == "raw":
                status, body, content_type = args[0], args[1], args[2] if len(args) > 2 else "application/json"
                self._send(status, body.encode() if isinstance(body, str) else body, content_type)
            elif kind == "drop":
                self.close_connection = True
            elif kind in STRUCTURED:
                self._send_json(200, STRUCTURED[kind](server, request.json, *args))
            else:
                self._send_json(500, error_body(500, f"unknown stand-in behaviour {behaviour!r}"))

        def _send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            self._send(status, json.dumps(body).encode(), "application/json", headers)

        def _send(self, status: int, payload: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(payload)))
                self.send_header("x-request-id", f"req_{uuid.uuid4().hex[:16]}")
                for name, value in (headers or {}).items():
                    self.send_header(name, str(value))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler


@contextlib.contextmanager
def start_standin(**options: Any) -> Iterator[OpenAIStandin]:
    """Start a stand-in (attributes from `options`, e.g. gate=..., delay=...), yield it, stop it."""
    init = {k: options.pop(k) for k in ("host", "port", "default") if k in options}
    server = OpenAIStandin(**init)
    for name, value in options.items():
        if not hasattr(server, name):
            raise TypeError(f"unknown stand-in option {name!r}")
        setattr(server, name, value)
    with server:
        yield server
