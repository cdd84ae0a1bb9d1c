"""Which stored files anyone may fetch (a public trained style's previews and a public generation's image), and
the URLs the API gives for them.

Everything else (a style's other training images, anything of a private, untrained or deleted style, a
private or unfinished generation's image) is private: its owner reaches it through the short-lived
signed URL the API gives them, nobody through its plain path.
"""

import re
import uuid

from gateway.platform.db import UnitOfWork, fetch_rows
from gateway.studio import generations_store, styles_store
from gateway.studio.rules import image_is_public, style_is_public
from shared.storage import ObjectStore

IMAGE = r"\.(?P<extension>png|jpe?g|webp)"
GENERATION_IMAGE = re.compile(rf"^generations/(?P<id>[A-Za-z0-9_-]+){IMAGE}$")
STYLE_IMAGE = re.compile(rf"^styles/(?P<id>[A-Za-z0-9_-]+)/images/\d+{IMAGE}$")
# a résumé's photo (gateway.careers.photos): always private, served by signed URL only
RESUME_PHOTO = re.compile(r"^resumes/(?P<id>[0-9a-f-]{36})/photos/[0-9a-f]{32}\.(?P<extension>png|jpg)$")
# a learner's screenshot in a live session (gateway.classroom.screenshots): always private, by signed URL only
SCREENSHOT = re.compile(r"^sessions/(?P<id>[0-9a-f-]{36})/screenshots/[0-9a-f]{32}\.(?P<extension>png|jpg)$")
PRIVATE_ONLY = (RESUME_PHOTO, SCREENSHOT)


def media_kind(key: str) -> re.Match | None:
    """The match of a key the gateway may ever serve (a generation's or a style's image, a résumé's photo, a
    screenshot), else None."""
    return GENERATION_IMAGE.match(key) or STYLE_IMAGE.match(key) or RESUME_PHOTO.match(key) or SCREENSHOT.match(key)


def image_url(store: ObjectStore, generation) -> str | None:
    """A presigned URL for S3; for the local store the served path of a public image, a signed one of a private
    image (only its maker reads it); None until completed."""
    if generation.status != "completed" or not generation.result_key:
        return None
    return store.url(generation.result_key, public=image_is_public(generation.status, generation.is_public))


def preview_urls(store: ObjectStore, style) -> list[str]:
    """Plain URLs of a public trained style's previews; signed, short-lived ones of any other (only its artist
    reads it)."""
    public = style_is_public(style.status, style.visibility)
    return [store.url(key, public=public) for key in style.preview_keys]


def is_public(uow: UnitOfWork, key: str) -> bool:
    """Whether anyone, signed in or not, may fetch `key` at its plain URL (one indexed lookup)."""
    match = media_kind(key)
    if match is None or match.re in PRIVATE_ONLY:
        return False
    try:
        owner_id = uuid.UUID(match.group("id"))
    except ValueError:
        return False
    statement = generations_store.public_image() if match.re is GENERATION_IMAGE else styles_store.public_preview()
    with uow.reading() as conn:
        return bool(fetch_rows(conn, statement, {"id": owner_id, "key": key}))
