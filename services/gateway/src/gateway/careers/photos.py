"""A résumé's photo: a PNG or JPEG recognised by decoding it (never by its name or declared type), stored as a
clean copy (its pixels encoded again: no trailing bytes, no metadata) through the storage port, as the studio
stores training images."""

import logging
import uuid
from collections.abc import Iterable

from gateway.careers import rules
from gateway.platform.errors import InvalidInput, Unavailable
from gateway.studio.images import BadImage, ImageInfo, clean_image
from gateway.studio.uploads import Upload
from shared.storage import ObjectStore, StorageError

__all__ = ["Upload", "checked_photo", "forget_photos", "store_photo"]
FIELD = "photo"
log = logging.getLogger(__name__)


def checked_photo(upload: Upload | None) -> tuple[ImageInfo, bytes]:
    """The upload's clean copy; InvalidInput when it is missing, too large, or not a PNG or JPEG that decodes."""
    if upload is None:
        raise InvalidInput(f"Send the photo as the multipart/form-data file field '{FIELD}'.", FIELD)
    data = upload.stream.read(rules.PHOTO_MAX_BYTES + 1)
    name = upload.filename[:100]
    if len(data) > rules.PHOTO_MAX_BYTES:
        raise InvalidInput(f"'{name}' is larger than {rules.PHOTO_MAX_BYTES:,} bytes.", FIELD)
    try:
        info, clean = clean_image(data, rules.PHOTO_MIN_SIDE, rules.PHOTO_MAX_SIDE)
    except BadImage as problem:
        raise InvalidInput(f"'{name}' {str(problem).replace('PNG, JPEG or WebP', 'PNG or JPEG')}.", FIELD) from None
    if info.format not in rules.PHOTO_FORMATS:
        raise InvalidInput(f"'{name}' is a {info.format} image: send a PNG or JPEG.", FIELD)
    return info, clean


def store_photo(store: ObjectStore, resume_id: uuid.UUID, photo: tuple[ImageInfo, bytes]) -> str:
    """The clean copy put in the object store; its key."""
    info, clean = photo  # a key of its own per photo: a URL given for an earlier one never shows a later one
    key = f"resumes/{resume_id}/photos/{uuid.uuid4().hex}.{info.extension}"
    try:
        store.put(key, clean, info.content_type)
    except StorageError as exc:
        raise Unavailable(f"The photo store is unavailable ({exc}); nothing was changed. Try again.") from exc
    return key


def forget_photos(store: ObjectStore, keys: Iterable[str | None]) -> None:
    """Delete photos no résumé points at any more (after the change that dropped them has committed).

    A copy the store fails to delete stays behind unreferenced: it is never served (photos are fetched by
    signed URLs that expire within rules.PHOTO_URL_SECONDS), so the failure is logged, not answered.
    """
    for key in filter(None, keys):
        try:
            store.delete(key)
        except StorageError as exc:
            log.warning("photo %s stays in the store, unreferenced: %s", key, exc)
