"""Which stored files anyone may fetch: a public trained style's previews and a public generation's image.

Everything else (a style's other training images, anything of a private, untrained or deleted style, a
private or unfinished generation's image) is private: its owner reaches it through the short-lived
signed URL the API gives them, nobody through its plain path.
"""

import functools
import re
import uuid

from sqlalchemy import String, any_, bindparam, literal_column, select

from gateway.platform.db import UnitOfWork, fetch_rows
from gateway.studio.generations_store import IN_FEED
from gateway.studio.models import Generation, Style
from gateway.studio.rules import PREVIEW_IMAGES
from gateway.studio.styles_store import LISTED

IMAGE = r"\.(?P<extension>png|jpe?g|webp)"
GENERATION_IMAGE = re.compile(rf"^generations/(?P<id>[A-Za-z0-9_-]+){IMAGE}$")
STYLE_IMAGE = re.compile(rf"^styles/(?P<id>[A-Za-z0-9_-]+)/images/\d+{IMAGE}$")
ONE = literal_column("1")


def media_kind(key: str) -> re.Match | None:
    """The match of a key the gateway may ever serve (a generation's or a style's image), else None."""
    return GENERATION_IMAGE.match(key) or STYLE_IMAGE.match(key)


def is_public(uow: UnitOfWork, key: str) -> bool:
    """Whether anyone, signed in or not, may fetch `key` at its plain URL (one indexed lookup)."""
    match = media_kind(key)
    if match is None:
        return False
    try:
        owner_id = uuid.UUID(match.group("id"))
    except ValueError:
        return False
    statement = _public_image() if match.re is GENERATION_IMAGE else _public_preview()
    with uow.reading() as conn:
        return bool(fetch_rows(conn, statement, {"id": owner_id, "key": key}))


@functools.cache
def _public_image():
    """The generation, if `key` is its image and it is completed and public."""
    return select(ONE).where(Generation.id == bindparam("id"), Generation.result_key == bindparam("key"), *IN_FEED)


@functools.cache
def _public_preview():
    """The style, if it is listed and `key` is one of the training images it shows as previews."""
    previews = Style.image_keys[1:PREVIEW_IMAGES]
    return select(ONE).where(Style.id == bindparam("id"), *LISTED, bindparam("key", type_=String) == any_(previews))
