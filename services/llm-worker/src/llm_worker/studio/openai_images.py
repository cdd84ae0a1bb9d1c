"""The `openai` image engine: OpenAI's images API (official SDK, configurable base URL) behind ImageEngine.

The prompt is the tags plus a description of the style model (palette and
texture). The API has no seed, so the result is not reproducible: the handler
stores it once under the generation's key and a redelivery re-reports it. The
image is cropped and resized to the requested size; the handler then signs it
like any other.
"""

import base64
import binascii
import io
from typing import Any

import openai
from PIL import Image

from llm_worker.providers.base import TransientProviderError
from llm_worker.providers.openai_chat import map_error
from llm_worker.studio.engines import RenderRequest
from llm_worker.studio.images import fit
from llm_worker.studio.model import StyleModel

# The sizes each model family can draw; the request's size is cut from the nearest aspect ratio.
SIZES = {
    "dall-e-2": ("256x256", "512x512", "1024x1024"),
    "dall-e-3": ("1024x1024", "1792x1024", "1024x1792"),
}
DEFAULT_SIZES = ("1024x1024", "1536x1024", "1024x1536")


def api_size(model: str, width: int, height: int) -> str:
    """The supported size closest in aspect ratio (then the smallest that is at least as large)."""
    sizes = SIZES.get(model, DEFAULT_SIZES)

    def score(size: str) -> tuple[float, int, int]:
        w, h = (int(part) for part in size.split("x"))
        return abs(w / h - width / height), 0 if w >= width and h >= height else 1, w * h

    return min(sizes, key=score)


def describe(model: StyleModel, tags: tuple[str, ...]) -> str:
    """The text prompt: the tags, then the palette (largest share first) and the texture in words."""
    ranked = sorted(zip(model.weights, model.palette, strict=True), reverse=True)
    colours = ", ".join(f"#{r:02x}{g:02x}{b:02x}" for _, (r, g, b) in ranked[:6])
    texture = model.texture
    grain = "fine-grained" if texture.spectral_slope < 2 else "smooth"
    edges = "crisp edges" if texture.edge_density > 0.15 else "soft edges"
    direction = ""
    if texture.anisotropy > 0.3:
        direction = f", strokes running at about {round(texture.dominant_orientation * 57.2958 + 90) % 180} degrees"
    subject = ", ".join(tags) if tags else "an abstract composition"
    return f"{subject}. Painted only in this palette: {colours}. A {grain} surface with {edges}{direction}."


class OpenAIImageEngine:
    """One `images.generate` call per image; errors mapped onto the provider error types."""

    name = "openai"
    billable = True
    expected_seconds = 30.0

    def __init__(
        self,
        api_key: str,
        model: str = "gpt-image-1",
        base_url: str | None = None,
        timeout: float = 120.0,
        max_retries: int = 2,
        client: Any = None,
    ):
        self.model = model
        self._client = client or openai.OpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )

    def render(self, model: StyleModel, request: RenderRequest) -> Image.Image:
        options: dict[str, Any] = {"model": self.model, "n": 1}
        options["size"] = api_size(self.model, request.width, request.height)
        if self.model.startswith("dall-e"):
            options["response_format"] = "b64_json"  # gpt-image models always answer in base64
        try:
            response = self._client.images.generate(prompt=describe(model, request.tags), **options)
        except (openai.OpenAIError, ValueError) as err:
            raise map_error(err) from err
        return fit(_decode(response), request.width, request.height)


def _decode(response: Any) -> Image.Image:
    data = getattr(response, "data", None)
    encoded = getattr(data[0], "b64_json", None) if isinstance(data, list) and data else None
    if not isinstance(encoded, str) or not encoded:
        raise TransientProviderError("openai: malformed response (no b64_json image)", code="malformed_response")
    try:
        image = Image.open(io.BytesIO(base64.b64decode(encoded, validate=True)))
        image.load()
    except (binascii.Error, OSError, ValueError) as exc:
        raise TransientProviderError(f"openai: malformed image ({exc})", code="malformed_response") from None
    return image
