"""Training images: every one checked and encoded again before any is stored, so a refused upload leaves
nothing behind and what is stored holds only an image's pixels (never bytes appended to it, nor metadata)."""

import dataclasses
import tempfile
import uuid
from collections.abc import Sequence
from typing import BinaryIO

from gateway.platform.errors import InvalidInput, Unavailable
from gateway.studio.images import BadImage, ImageInfo, clean_image, inspect_image
from gateway.studio.rules import MAX_IMAGES, MIN_IMAGES
from shared.storage import ObjectStore, StorageError


@dataclasses.dataclass(frozen=True)
class ImageRules:
    max_bytes: int
    min_side: int
    max_side: int


@dataclasses.dataclass(frozen=True)
class CleanImage:
    """A checked upload: what it is, and its clean copy (spooled to disk when large: an upload may be 100 of them)."""

    info: ImageInfo
    content: BinaryIO


SPOOL_BYTES = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Upload:
    """One uploaded file: the name the client gave it (for messages only) and its seekable content."""

    filename: str
    stream: BinaryIO


def check_images(uploads: Sequence[Upload], rules: ImageRules) -> list[CleanImage]:
    """Each upload decoded and encoded again; InvalidInput naming every refused one (by position and file name)."""
    if not MIN_IMAGES <= len(uploads) <= MAX_IMAGES:
        raise InvalidInput(f"Send {MIN_IMAGES} to {MAX_IMAGES} images (got {len(uploads)}).", "images")
    images, problems = [], []
    for index, upload in enumerate(uploads):
        data = upload.stream.read(rules.max_bytes + 1)
        try:
            if len(data) > rules.max_bytes:
                raise BadImage(f"is larger than {rules.max_bytes:,} bytes")
            if problems:  # nothing will be stored: the rest are only checked, not encoded again
                inspect_image(data, rules.min_side, rules.max_side)
                continue
            info, clean = clean_image(data, rules.min_side, rules.max_side)
            images.append(CleanImage(info, _spooled(clean)))
        except BadImage as exc:
            problems.append((index, f"images/{index} ('{upload.filename[:100]}') {exc}"))
    if problems:
        close_images(images)
        more = f" (and {len(problems) - 1} more: {'; '.join(p for _, p in problems[1:4])})" if len(problems) > 1 else ""
        raise InvalidInput(f"{problems[0][1]}{more}", f"images/{problems[0][0]}")
    return images


def _spooled(data: bytes) -> BinaryIO:
    content = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by close_images
    content.write(data)
    content.seek(0)
    return content


def close_images(images: Sequence[CleanImage]) -> None:
    for image in images:
        image.content.close()


def image_key(style_id: uuid.UUID, number: int, info: ImageInfo) -> str:
    return f"styles/{style_id}/images/{number}.{info.extension}"


def store_images(store: ObjectStore, style_id: uuid.UUID, images: Sequence[CleanImage]) -> list[str]:
    """Put the clean copies in the store; their keys, numbered from 1 in upload order."""
    keys = []
    for number, image in enumerate(images, start=1):
        key = image_key(style_id, number, image.info)
        try:
            store.put(key, image.content.read(), image.info.content_type)
        except StorageError as exc:
            raise Unavailable(f"The image store is unavailable ({exc}); nothing was created. Try again.") from exc
        keys.append(key)
    return keys
