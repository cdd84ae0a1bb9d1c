"""Training images: every one checked before any is stored, so a refused upload leaves nothing behind."""

import dataclasses
import uuid
from collections.abc import Sequence
from typing import BinaryIO

from gateway.domain.images import BadImage, ImageInfo, inspect_image
from gateway.domain.studio import MAX_IMAGES, MIN_IMAGES
from gateway.services.errors import InvalidInput, Unavailable
from shared.storage import ObjectStore, StorageError


@dataclasses.dataclass(frozen=True)
class ImageRules:
    max_bytes: int
    min_side: int
    max_side: int


@dataclasses.dataclass(frozen=True)
class Upload:
    """One uploaded file: the name the client gave it (for messages only) and its seekable content."""

    filename: str
    stream: BinaryIO


def check_images(uploads: Sequence[Upload], rules: ImageRules) -> list[ImageInfo]:
    """What each upload is; InvalidInput naming every refused one (by position and file name)."""
    if not MIN_IMAGES <= len(uploads) <= MAX_IMAGES:
        raise InvalidInput(f"Send {MIN_IMAGES} to {MAX_IMAGES} images (got {len(uploads)}).", "images")
    infos, problems = [], []
    for index, upload in enumerate(uploads):
        data = upload.stream.read(rules.max_bytes + 1)
        try:
            if len(data) > rules.max_bytes:
                raise BadImage(f"is larger than {rules.max_bytes:,} bytes")
            infos.append(inspect_image(data, rules.min_side, rules.max_side))
        except BadImage as exc:
            problems.append((index, f"images/{index} ('{upload.filename[:100]}') {exc}"))
    if problems:
        more = f" (and {len(problems) - 1} more: {'; '.join(p for _, p in problems[1:4])})" if len(problems) > 1 else ""
        raise InvalidInput(f"{problems[0][1]}{more}", f"images/{problems[0][0]}")
    return infos


def image_key(style_id: uuid.UUID, number: int, info: ImageInfo) -> str:
    return f"styles/{style_id}/images/{number}.{info.extension}"


def store_images(
    store: ObjectStore, style_id: uuid.UUID, uploads: Sequence[Upload], infos: list[ImageInfo]
) -> list[str]:
    """Put the checked images in the store; their keys, numbered from 1 in upload order."""
    keys = []
    for number, (upload, info) in enumerate(zip(uploads, infos, strict=True), start=1):
        key = image_key(style_id, number, info)
        upload.stream.seek(0)
        try:
            store.put(key, upload.stream.read(), info.content_type)
        except StorageError as exc:
            raise Unavailable(f"The image store is unavailable ({exc}); nothing was created. Try again.") from exc
        keys.append(key)
    return keys
