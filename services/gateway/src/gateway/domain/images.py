"""What an uploaded image is, found by decoding it with Pillow (never by its name or declared type)."""

import dataclasses
import io
import warnings

from PIL import Image

FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "WEBP": ("webp", "image/webp")}
DECODE_SIDE = 512  # a JPEG is decoded at a reduced scale: every byte is still read and checked


class BadImage(ValueError):
    """Not a PNG, JPEG or WebP that decodes, or outside the size limits; the message says which."""


@dataclasses.dataclass(frozen=True)
class ImageInfo:
    format: str
    extension: str
    content_type: str
    width: int
    height: int


def inspect_image(data: bytes, min_side: int, max_side: int) -> ImageInfo:
    """The image's format and size once it decoded in full; BadImage otherwise."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=tuple(FORMATS))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise BadImage(f"is larger than {max_side} px a side") from None
    except (OSError, ValueError, SyntaxError):
        raise BadImage("is not a PNG, JPEG or WebP image") from None
    width, height = image.size
    if min(width, height) < min_side:
        raise BadImage(f"is {width}x{height}: images must be at least {min_side} px a side")
    if max(width, height) > max_side:
        raise BadImage(f"is {width}x{height}: images may be at most {max_side} px a side")
    try:
        image.draft("RGB", (DECODE_SIDE, DECODE_SIDE))
        image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise BadImage(f"is a damaged {image.format} image (it does not decode)") from None
    extension, content_type = FORMATS[image.format]
    return ImageInfo(image.format, extension, content_type, width, height)
