"""The port every image engine implements: render one image of a style model from tags and a seed."""

import dataclasses
from typing import Protocol

from PIL import Image

from llm_worker.studio.model import StyleModel


@dataclasses.dataclass(frozen=True)
class RenderRequest:
    """What to draw: the prompt's tags, the seed, the size in pixels."""

    tags: tuple[str, ...]
    seed: int
    width: int
    height: int


class ImageEngine(Protocol):
    """Renders RGB images; raises llm_worker.providers.base.ProviderError when it cannot."""

    name: str
    billable: bool  # calls cost money: a redelivery must find the stored image, never render again
    expected_seconds: float  # a typical render; slow engines report progress before they start

    def render(self, model: StyleModel, request: RenderRequest) -> Image.Image: ...
