"""Decoding training images and encoding generated ones (Pillow)."""

import io

import numpy as np
from PIL import Image, PngImagePlugin

TRAINING_SIDE = 256  # images are learned from at most this many pixels a side
FORMATS = ("PNG", "JPEG", "WEBP")


class UnreadableImage(ValueError):
    """Not a PNG, JPEG or WebP that decodes."""


class ImageTooLarge(ValueError):
    """More pixels than the worker agrees to decode."""


def training_pixels(data: bytes, max_pixels: int) -> np.ndarray:
    """An image as RGB floats in [0, 1], shrunk to at most TRAINING_SIDE a side."""
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge(str(exc)) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise UnreadableImage(str(exc) or type(exc).__name__) from None
    if image.width * image.height > max_pixels:
        raise ImageTooLarge(f"{image.width}x{image.height} is more than {max_pixels} pixels")
    try:
        image.draft("RGB", (TRAINING_SIDE, TRAINING_SIDE))  # a JPEG decodes at a fraction of its size
        image = image.convert("RGB")
    except (OSError, ValueError, SyntaxError) as exc:
        raise UnreadableImage(str(exc) or type(exc).__name__) from None
    image.thumbnail((TRAINING_SIDE, TRAINING_SIDE), Image.Resampling.BILINEAR)
    return np.asarray(image, dtype=np.float32) / 255.0


def encode_png(image: Image.Image, text: dict[str, str]) -> bytes:
    """PNG bytes with `text` as tEXt chunks (fast compression: the pixels are noisy anyway)."""
    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        info.add_text(key, value)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info, compress_level=1)
    return buffer.getvalue()


def png_text(data: bytes) -> dict[str, str]:
    """The tEXt chunks of a stored PNG (empty when it is not one)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return dict(getattr(image, "text", {}) or {})
    except (OSError, ValueError):
        return {}


def fit(image: Image.Image, width: int, height: int) -> Image.Image:
    """Crop `image` to the aspect ratio of width x height (centred), then resize to exactly that."""
    image = image.convert("RGB")
    scale = min(image.width / width, image.height / height)
    crop_w, crop_h = round(width * scale), round(height * scale)
    left, top = (image.width - crop_w) // 2, (image.height - crop_h) // 2
    image = image.crop((left, top, left + crop_w, top + crop_h))
    if image.size != (width, height):
        image = image.resize((width, height), Image.Resampling.LANCZOS)
    return image
