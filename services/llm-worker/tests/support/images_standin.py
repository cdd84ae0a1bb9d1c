"""A real OpenAI-compatible `POST /v1/images/generations` server for tests (stdlib + Pillow, no SDK mocking).

Every request is answered with a PNG of the requested size (a colour gradient), base64 in `data[0].b64_json`,
unless a scripted behaviour says otherwise (one consumed per request):

* ``("status", code)`` / ``("status", code, headers)``: an OpenAI-style error.
* ``("no_data",)``: 200 with ``data: []``.  ``("bad_b64",)``: 200 with ``b64_json`` that is not base64.
* ``("not_image",)``: 200 with valid base64 of bytes that are no image.
"""

import base64
import collections
import contextlib
import dataclasses
import io
import json
import time
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import numpy as np
from PIL import Image

from shared.testing import LocalServer

PATH = "/v1/images/generations"


@dataclasses.dataclass
class ImageRequest:
    headers: dict[str, str]
    json: dict


def picture(size: str) -> bytes:
    """A PNG gradient of `size` ("WxH")."""
    width, height = (int(part) for part in size.split("x"))
    ys, xs = np.mgrid[0:height, 0:width]
    pixels = np.stack([xs * 255 // max(width - 1, 1), ys * 255 // max(height - 1, 1), np.full_like(xs, 128)], -1)
    buffer = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


class ImagesStandin(LocalServer):
    """Threaded HTTP server; `requests` records every image request."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        super().__init__(_make_handler(self), host, port)
        self.requests: list[ImageRequest] = []
        self._queue: collections.deque = collections.deque()

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def script(self, behaviours: Iterable[tuple]) -> None:
        with self._lock:
            self._queue.extend(behaviours)

    def answer(self, request: ImageRequest) -> tuple[int, dict, dict]:
        """(status, JSON body, extra headers) for a request."""
        with self._lock:
            self.requests.append(request)
            behaviour = self._queue.popleft() if self._queue else ("ok",)
        kind = behaviour[0]
        if kind == "status":
            status = behaviour[1]
            error = {"message": f"stand-in error {status}", "type": "invalid_request_error", "code": None}
            return status, {"error": error}, behaviour[2] if len(behaviour) > 2 else {}
        created = int(time.time())
        if kind == "no_data":
            return 200, {"created": created, "data": []}, {}
        if kind == "bad_b64":
            return 200, {"created": created, "data": [{"b64_json": "not base64 at all!"}]}, {}
        raw = b"these bytes are no image" if kind == "not_image" else picture(request.json.get("size", "1024x1024"))
        return 200, {"created": created, "data": [{"b64_json": base64.b64encode(raw).decode()}]}, {}


def _make_handler(server: ImagesStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            if self.path.split("?")[0] != PATH:
                self._send(404, {"error": {"message": "no route", "type": "not_found_error"}}, {})
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            self._send(*server.answer(ImageRequest(headers, json.loads(raw or b"{}"))))

        def _send(self, status: int, body: dict, headers: dict) -> None:
            payload = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, str(value))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler


@contextlib.contextmanager
def start_images_standin() -> Iterator[ImagesStandin]:
    with ImagesStandin() as server:
        yield server
