"""What an uploaded image is, found by decoding it with Pillow (never by its name or declared type), and its
clean copy: decoded in full and encoded again, so only its pixels are kept (no trailing bytes, no metadata)."""

import dataclasses
import io
import warnings

from PIL import Image, ImageOps, JpegImagePlugin

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
    image = _open(data, min_side, max_side)
    try:
        image.draft("RGB", (DECODE_SIDE, DECODE_SIDE))
        image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise BadImage(f"is a damaged {image.format} image (it does not decode)") from None
    return _info(image.format, image.size)


def clean_image(data: bytes, min_side: int, max_side: int) -> tuple[ImageInfo, bytes]:
    """The image encoded again from its decoded pixels, in its own format and upright; BadImage as inspect_image.

    Whatever a file carries besides its first frame's pixels (bytes after its end, such as an HTML page;
    EXIF, ICC, XMP and text chunks; comments) is not in the copy. A JPEG keeps its quantisation tables and
    chroma subsampling, so encoding it again loses next to nothing; a lossless WebP stays lossless.
    """
    image = _open(data, min_side, max_side)
    try:
        image.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise BadImage(f"is a damaged {image.format} image (it does not decode)") from None
    options = _encoder_options(image, data)
    upright = ImageOps.exif_transpose(image)  # the orientation is kept in the pixels, as the EXIF goes
    upright.info = {}  # encoders fall back to the source's info (ICC profile, comment) when not told
    out = io.BytesIO()
    try:
        upright.save(out, image.format, **options)
    except (OSError, ValueError) as exc:
        raise BadImage(f"is a {image.format} image that cannot be stored ({exc})") from None
    return _info(image.format, upright.size), out.getvalue()


def _open(data: bytes, min_side: int, max_side: int) -> Image.Image:
    """The image, its header read and its size checked; nothing is decoded yet (a bomb never is)."""
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
    return image


def _info(image_format: str, size: tuple[int, int]) -> ImageInfo:
    extension, content_type = FORMATS[image_format]
    return ImageInfo(image_format, extension, content_type, *size)


def _encoder_options(image: Image.Image, data: bytes) -> dict:
    """How to encode the decoded image so that its pixels come back as they were (or as near as JPEG allows)."""
    if image.format == "PNG":
        transparency = image.info.get("transparency")  # a palette's or a colour's, which is pixel data
        return {} if transparency is None else {"transparency": transparency}
    if image.format == "JPEG":
        sampling = JpegImagePlugin.get_sampling(image)
        return {"qtables": image.quantization, **({"subsampling": sampling} if sampling >= 0 else {})}
    if _lossless_webp(data):
        return {"lossless": True, "exact": True}
    return {"quality": 95}


def _lossless_webp(data: bytes) -> bool:
    """Whether a WebP's image data is a VP8L (lossless) chunk rather than a VP8 (lossy) one."""
    offset = 12  # after "RIFF", the size and "WEBP"
    while offset + 8 <= len(data):
        fourcc, size = data[offset : offset + 4], int.from_bytes(data[offset + 4 : offset + 8], "little")
        if fourcc in (b"VP8L", b"VP8 "):
            return fourcc == b"VP8L"
        offset += 8 + size + (size & 1)
    return False
