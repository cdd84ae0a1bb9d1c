"""Provenance: which generation, style and artist an image came from, read from its invisible signature."""

import io
import warnings
from typing import Any

from PIL import Image

from gateway.platform.db import UnitOfWork
from gateway.platform.errors import InvalidInput
from gateway.studio.generations import MAX_SIGNATURE_ID
from gateway.studio.images import BadImage, inspect_image
from gateway.studio.rules import style_shown
from gateway.studio.store import StudioStore
from shared import signature

MAX_SIDE = 8192  # larger images are refused before they are decoded


def verify_image(uow: UnitOfWork, data: bytes, key: bytes, max_pixels: int) -> dict[str, Any]:
    """{found: true, generation, style and artist} for a signed image of this platform; {found: false} otherwise."""
    _within_budget(data, max_pixels)
    try:
        inspect_image(data, 1, MAX_SIDE)
    except BadImage as exc:
        raise InvalidInput(f"The file {exc}.", "image") from None
    signature_id = signature.extract(data, key)
    if signature_id is None:
        return {"found": False, "detail": "no signature found"}
    generation = None
    if signature_id <= MAX_SIGNATURE_ID:
        with uow:
            generation = uow.store(StudioStore).generation_signed(signature_id)
    if generation is None:
        return {"found": False, "detail": "the image carries a signature this platform did not issue"}
    style = generation.style  # provenance is anonymous: the style is named as to a viewer who is no one
    shown = style.deleted_at is None and style_shown(style.visibility, style.artist_id, None)
    return {
        "found": True,
        "generation_id": str(generation.id),
        "style_id": str(generation.style_id) if shown else None,
        "style_name": style.name if shown else None,
        "artist_id": str(generation.artist_id),
        "artist_username": generation.artist.username,
        "signature_id": str(signature_id),
        "created_at": generation.created_at,
    }


def _within_budget(data: bytes, max_pixels: int) -> None:
    """InvalidInput for an image of more than `max_pixels`, read from its header: nothing is decoded yet."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            width, height = Image.open(io.BytesIO(data)).size
    except Image.DecompressionBombError:
        detail = f"The image has over {2 * Image.MAX_IMAGE_PIXELS:,} pixels: at most {max_pixels:,} are read."
        raise InvalidInput(detail, "image") from None
    except (OSError, ValueError, SyntaxError):
        return  # not an image: inspect_image says so
    if width * height > max_pixels:
        detail = f"The image is {width}x{height} ({width * height:,} pixels): at most {max_pixels:,} are read."
        raise InvalidInput(detail, "image")
