"""The statements that read generations for the API, and the plain rows they become.

A feed page is twenty images with their style, artist and maker; through the
ORM, loading those objects cost more CPU than everything else in the request.
Each read shape (which filters, signed in or not) is one SQLAlchemy Core
statement with bind parameters, built and compiled once, prepared by psycopg
on the connection, and its rows become named tuples with the attributes the
response schemas read (see gateway.platform.db.fetch_rows).
"""

import functools
import uuid
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, case, exists, func, literal_column, null, or_, select, tuple_
from sqlalchemy.orm import aliased

from gateway.accounts.models import User
from gateway.community.models import GenerationLike
from gateway.studio.models import Generation, Style

ARTIST, MAKER = aliased(User, name="artist"), aliased(User, name="maker")
# literal values, as the partial indexes' predicates: a prepared statement's generic plan can still use them
IN_FEED = (Generation.status == literal_column("'completed'"), Generation.is_public)
FILTERS = {
    "id": Generation.id == bindparam("id"),
    "after": tuple_(Generation.completed_at, Generation.id) < tuple_(bindparam("after_at"), bindparam("after_id")),
    "style_id": Generation.style_id == bindparam("style_id"),
    "user_id": Generation.user_id == bindparam("user_id"),
    "status": Generation.status == bindparam("status"),
}
ONE = literal_column("1")
ORDERS = {"feed": ("completed_at", "id"), "created": ("created_at", "id")}  # newest first, id breaks ties


class StyleRef(NamedTuple):
    id: uuid.UUID
    name: str


class UserRef(NamedTuple):
    id: uuid.UUID
    username: str


class GenerationRow(NamedTuple):
    """A generation as the API shows it: its own columns, then its style, artist and maker by reference."""

    id: uuid.UUID
    status: str
    progress_percent: int
    current_step: int
    total_steps: int | None
    estimated_seconds: int | None
    prompt_tags: list[str]
    aspect_ratio: str
    seed: int
    cost: int
    is_public: bool
    like_count: int
    comment_count: int
    result_key: str | None
    signature_id: int
    result_metadata: dict[str, Any] | None
    error: str | None
    error_code: str | None
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    failed_at: datetime | None
    liked_by_me: bool | None
    style: StyleRef | None  # None when the style is private and not the viewer's
    artist: UserRef
    user: UserRef
    image_url: str | None = None  # set by the service (gateway.studio.media.image_url), not read


OWN = GenerationRow._fields.index("liked_by_me") + 1  # the generation's columns and liked_by_me come first
COLUMNS = tuple(getattr(Generation, name) for name in GenerationRow._fields[: OWN - 1])


def to_row(values: tuple) -> GenerationRow:
    style = None if values[OWN] is None else StyleRef(values[OWN], values[OWN + 1])
    artist, maker = UserRef(values[OWN + 2], values[OWN + 3]), UserRef(values[OWN + 4], values[OWN + 5])
    return GenerationRow(*values[:OWN], style, artist, maker)


@functools.lru_cache(maxsize=1024)
def listing(
    filters: tuple[str, ...],
    signed_in: bool,
    order: str | None = None,
    limit: int | None = None,
    feed: bool = False,
    numbered: bool = False,
) -> Select:
    """Generations matching the named FILTERS (and the feed's own rule): `limit` of them in an ORDER (after
    `offset` when numbered), or with no order every match (a read by id). Signed in, each row says whether
    the viewer (`viewer_id`) liked it; anonymous, that is null.

    The page is chosen as ids alone (an index-only scan of the ordered feed indexes) and only its rows are
    read and joined to their style and people; the limit is part of the statement, not a parameter. So
    PostgreSQL plans each shape once (a generic plan) and reuses it: with the limit as a parameter the
    generic plan's guess of a tenth of the table lost to a custom plan, whose planning took more time than
    running it; and read whole, the rows of a popular style were fetched and sorted (the generic plan
    expects a style's average, eleven) instead of walked in the index's order.
    """
    page = select(Generation.id).where(*(IN_FEED if feed else ()), *(FILTERS[name] for name in filters))
    if "style_id" in filters:  # a private style's generations are not found by its id: that would name it
        page = page.where(exists().where(Style.id == bindparam("style_id"), style_shown(signed_in)))
    if order is not None:
        newest_first = (getattr(Generation, name).desc() for name in ORDERS[order])
        page = page.order_by(*newest_first).limit(literal_column(str(int(limit))))  # in the text: see above
    if numbered:
        page = page.offset(bindparam("offset"))
    ids = page.subquery("page")
    liked = (
        exists().where(GenerationLike.generation_id == Generation.id, GenerationLike.user_id == bindparam("viewer_id"))
        if signed_in
        else null()
    )
    shown = style_shown(signed_in)
    style = (case((shown, Style.id), else_=null()), case((shown, Style.name), else_=null()))
    query = (
        select(*COLUMNS, liked, *style, ARTIST.id, ARTIST.username, MAKER.id, MAKER.username)
        .select_from(ids)
        .join(Generation, Generation.id == ids.c.id)
        .join(Style, Style.id == Generation.style_id)
        .join(ARTIST, ARTIST.id == Generation.artist_id)
        .join(MAKER, MAKER.id == Generation.user_id)
    )
    return query if order is None else query.order_by(*(getattr(Generation, name).desc() for name in ORDERS[order]))


def style_shown(signed_in: bool):
    """A generation names its style to the viewer (`viewer_id`) when the style is public or theirs (see
    domain.studio.style_shown)."""
    public = Style.visibility == literal_column("'public'")
    return or_(public, Style.artist_id == bindparam("viewer_id")) if signed_in else public


@functools.cache
def counting(filters: tuple[str, ...]) -> Select:
    """How many generations match the named FILTERS."""
    return select(func.count()).select_from(Generation).where(*(FILTERS[name] for name in filters))


@functools.cache
def public_image() -> Select:
    """The generation, if `key` is its image and it is completed and public."""
    return select(ONE).where(Generation.id == bindparam("id"), Generation.result_key == bindparam("key"), *IN_FEED)
