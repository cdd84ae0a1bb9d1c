"""Fakes at the studio's ports (store, webhook sender, engine) and synthetic training images."""

import io
import json
import threading

import numpy as np
from PIL import Image

from llm_worker.studio.engines import RenderRequest
from llm_worker.studio.model import StyleModel
from llm_worker.studio.render import EmbeddedEngine
from shared.storage import ObjectNotFound, StorageError, check_key
from shared.webhooks.sender import WebhookRejected

# Three colours covering about 50 %, 30 % and 20 % of every training image.
COLOURS = [(200, 60, 40), (30, 40, 90), (240, 210, 150)]
SHARES = [0.5, 0.3, 0.2]


def artwork(seed: int, width: int = 320, height: int = 240, fmt: str = "PNG") -> bytes:
    """A stand-in for an artist's image: diagonal bands of the three colours, with a little grain."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:height, 0:width]
    wave = np.sin((xs + ys) / 9.0 + rng.uniform(0, 6)) + 0.8 * np.sin(xs / 23.0 + rng.uniform(0, 6)) * np.cos(ys / 17)
    bands = np.digitize(wave, np.quantile(wave, np.cumsum(SHARES)[:-1]))
    pixels = np.array(COLOURS, dtype=np.float64)[bands] + rng.normal(0, 5, (height, width, 3))
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, fmt)
    return buffer.getvalue()


class MemoryStore:
    """An ObjectStore in a dict; `failures` makes the next calls raise StorageError."""

    name = "memory"

    def __init__(self):
        self.objects: dict[str, bytes] = {}
        self.puts: list[str] = []
        self.failures = 0

    def _maybe_fail(self) -> None:
        if self.failures:
            self.failures -= 1
            raise StorageError("memory store: unavailable (scripted)")

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        self._maybe_fail()
        self.objects[check_key(key)] = data
        self.puts.append(key)

    def get(self, key: str) -> bytes:
        self._maybe_fail()
        try:
            return self.objects[check_key(key)]
        except KeyError:
            raise ObjectNotFound(key) from None

    def exists(self, key: str) -> bool:
        self._maybe_fail()
        return check_key(key) in self.objects

    def url(self, key: str, expires: int = 3600) -> str:
        return f"memory://{check_key(key)}"


class RecordingSender:
    """A WebhookSender that records (method, path, body) and answers 2xx, or refuses with `refuse_status`."""

    def __init__(self):
        self.sent: list[tuple[str, str, dict]] = []
        self.refuse_status: int | None = None
        self._lock = threading.Lock()

    def send(self, method: str, path: str, body: bytes) -> dict:
        with self._lock:
            self.sent.append((method, path, json.loads(body)))
        if self.refuse_status is not None:
            raise WebhookRejected(self.refuse_status, "refused (scripted)")
        return {}

    def post(self, path: str, body: bytes) -> dict:
        return self.send("POST", path, body)

    def paths(self) -> list[str]:
        return [path.rsplit("/", 1)[1] for _, path, _ in self.sent]


class CountingEngine:
    """The embedded engine, counting renders; `error` is raised instead of rendering when set."""

    def __init__(self, inner=None, expected_seconds: float = 0.1):
        self._inner = inner or EmbeddedEngine()
        self.name = self._inner.name
        self.billable = self._inner.billable
        self.expected_seconds = expected_seconds
        self.renders = 0
        self.error: Exception | None = None
        self._lock = threading.Lock()

    def render(self, model: StyleModel, request: RenderRequest) -> Image.Image:
        with self._lock:
            self.renders += 1
        if self.error is not None:
            raise self.error
        return self._inner.render(model, request)
