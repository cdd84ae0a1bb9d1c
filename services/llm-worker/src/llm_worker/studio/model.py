"""The trained style model: a palette and texture statistics, stored as a small JSON artifact."""

import dataclasses
import hashlib
import json
from typing import Any, Self

FORMAT = "studio-style/1"


class InvalidModel(ValueError):
    """The stored artifact is not a style model this engine understands."""


@dataclasses.dataclass(frozen=True)
class Texture:
    """What the training images' surfaces look like, averaged over the images."""

    spectral_slope: float  # beta in power ~ 1/f**beta: ~2 for natural images, lower is grainier
    orientation_histogram: list[float]  # gradient energy per direction, 8 bins over [0, pi), sums to 1
    dominant_orientation: float  # radians, the mean gradient direction (mod pi)
    anisotropy: float  # 0: no preferred direction .. 1: all edges parallel
    gradient_histogram: list[float]  # share of pixels per gradient-magnitude bin (12 bins over [0, 0.5])
    edge_density: float  # share of pixels on an edge
    local_contrast: float  # mean standard deviation of 8x8 patches, luminance in [0, 1]
    mean_luminance: float
    luminance_std: float


@dataclasses.dataclass(frozen=True)
class StyleModel:
    """A learned palette (darkest first, with each colour's share) and texture, plus how it was trained."""

    palette: list[list[int]]  # RGB 0..255
    weights: list[float]  # share of the training pixels per palette colour, sums to 1
    texture: Texture
    loss: float  # final k-means inertia: mean squared RGB distance to the nearest colour, RGB in [0, 1]
    epochs: int
    images: int

    def to_json(self) -> bytes:
        data = {"format": FORMAT, **dataclasses.asdict(self)}
        return json.dumps(data, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Self:
        try:
            data: dict[str, Any] = json.loads(raw)
            if data.pop("format") != FORMAT:
                raise InvalidModel("unknown model format")
            texture = Texture(**data.pop("texture"))
            model = cls(texture=texture, **data)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise InvalidModel(f"not a style model: {exc}") from None
        if not model.palette or len(model.palette) != len(model.weights):
            raise InvalidModel("a style model needs a palette with one weight per colour")
        return model

    def fingerprint(self) -> bytes:
        """A digest of the model, so two styles never render the same image for the same seed."""
        return hashlib.sha256(self.to_json()).digest()[:16]
