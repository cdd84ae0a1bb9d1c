"""The statements that read styles for the API's lists and search, and the plain rows they become.

As for generations (generations_sql): one Core statement per shape, compiled once and prepared by
psycopg, rows as named tuples with the attributes StyleSchema reads. A style's training image keys
(up to a hundred) are not read for a list: only how many there are and the first few, as previews.
"""

import functools
import uuid
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    Float,
    Select,
    String,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY

from gateway.accounts.models import User
from gateway.studio.generations_store import UserRef
from gateway.studio.models import Style
from gateway.studio.rules import PREVIEW_IMAGES

FLOAT = Float(53)
POPULARITY = 0.01  # per natural log of (1 + generations): a tie-breaker more than a ranking
# literal values, as the partial indexes' predicates: a prepared statement's generic plan can still use them
LISTED = (
    Style.status == literal_column("'completed'"),
    Style.visibility == literal_column("'public'"),
    Style.deleted_at.is_(None),
)

FILTERS = {
    "listed": LISTED,
    "tag": (Style.tags.contains(bindparam("tags", type_=ARRAY(String))),),
    "artist_id": (Style.artist_id == bindparam("artist_id"),),
    "kept": (Style.deleted_at.is_(None),),
    "status": (Style.status == bindparam("status"),),
}
SORTS = {  # id breaks ties
    "new": (Style.created_at.desc(), Style.id.desc()),
    "popular": (Style.generation_count.desc(), Style.created_at.desc(), Style.id.desc()),
}


class StyleRow(NamedTuple):
    id: uuid.UUID
    name: str
    description: str
    tags: list[str]
    price_per_generation: int
    visibility: str
    status: str
    progress_percent: int
    current_epoch: int
    total_epochs: int
    estimated_seconds: int | None
    training_metric: dict[str, Any] | None
    error: str | None
    error_code: str | None
    generation_count: int
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    failed_at: datetime | None
    image_count: int
    preview_keys: list[str]
    search_score: float | None
    artist: UserRef
    preview_urls: list[str] | None = None  # set by the service (gateway.studio.media.preview_urls), not read


OWN = StyleRow._fields.index("image_count")
COLUMNS = (
    *(getattr(Style, name) for name in StyleRow._fields[:OWN]),
    func.cardinality(Style.image_keys),
    Style.image_keys[1:PREVIEW_IMAGES],
)


def to_row(values: tuple) -> StyleRow:
    """A StyleRow from a row of COLUMNS, then the score, then the artist's id and name."""
    return StyleRow(*values[: OWN + 3], UserRef(values[OWN + 3], values[OWN + 4]))


def name_bonus(name):
    """The name said exactly, begun with, or holding the query (`q`, `prefix`, `contains`), in that order."""
    return case(
        (name == bindparam("q"), 1.0),
        (name.like(bindparam("prefix")), 0.5),
        (name.like(bindparam("contains")), 0.25),
        else_=0.0,
    )


def best_page(scored: Select, after: bool, limit: int):
    """The best `limit` (id, score) of a scored selection, after an (`after_score`, `after_id`) cursor: ranked
    before anything is joined to them."""
    scored = scored.subquery("scored")
    top = select(scored.c.id, scored.c.score)
    if after:
        top = top.where(tuple_(scored.c.score, scored.c.id) < tuple_(bindparam("after_score"), bindparam("after_id")))
    return (
        top.order_by(scored.c.score.desc(), scored.c.id.desc()).limit(literal_column(str(int(limit)))).subquery("top")
    )


@functools.lru_cache(maxsize=256)
def search(substring: bool, words: bool, ranked: bool, after: bool, limit: int) -> Select:
    """Listed styles matching the query, best `limit` first (after a (score, id) cursor), scored.

    Matches: the whole query as a substring of name, tags and description (`contains`, trigram index),
    and/or every word as a word prefix (`tsquery`, full-text index); `ranked` scores by the words
    (ts_rank) whether or not they are matched separately. The best page is chosen from ids and scores
    alone, then joined; the limit is in the statement, as in generations_sql.
    """
    matches, rank = [], literal_column("0.0")
    # parsed once per execution (an InitPlan): in a generic plan a plain to_tsquery(...) call is a stable
    # function of a parameter, evaluated again for every matching row in ts_rank (watercolor, 523 rows:
    # 1.46 -> 0.94 ms of PostgreSQL CPU); the full-text index still serves the match
    tsquery = select(func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("tsquery"))).scalar_subquery()
    if substring:
        matches.append(Style.search_text.like(bindparam("contains")))
    if words:
        matches.append(Style.search_vector.op("@@")(tsquery))
    if ranked:
        rank = func.ts_rank(Style.search_vector, tsquery)
    popularity = POPULARITY * func.ln(1 + Style.generation_count)
    score = cast(rank + name_bonus(Style.name_lower) + popularity, FLOAT).label("score")  # lower(name), stored
    top = best_page(select(Style.id, score).where(*LISTED, or_(*matches)), after, limit)
    return (
        select(*COLUMNS, top.c.score, User.id, User.username)
        .select_from(top)
        .join(Style, Style.id == top.c.id)
        .join(User, User.id == Style.artist_id)
        .order_by(top.c.score.desc(), top.c.id.desc())
    )


def _conditions(filters: tuple[str, ...]) -> list:
    return [condition for name in filters for condition in FILTERS[name]]


@functools.lru_cache(maxsize=256)
def listing(filters: tuple[str, ...], sort: str, limit: int) -> Select:
    """One numbered page (`offset`) of the styles matching the named FILTERS in a sort: ids first, then joined."""
    ids = select(Style.id).where(*_conditions(filters)).order_by(*SORTS[sort])
    ids = ids.limit(literal_column(str(int(limit)))).offset(bindparam("offset")).subquery("page")
    query = (
        select(*COLUMNS, null(), User.id, User.username)
        .select_from(ids)
        .join(Style, Style.id == ids.c.id)
        .join(User, User.id == Style.artist_id)
    )
    return query.order_by(*SORTS[sort])


@functools.lru_cache(maxsize=64)
def counting(filters: tuple[str, ...]) -> Select:
    return select(func.count()).select_from(Style).where(*_conditions(filters))


@functools.lru_cache(maxsize=2)
def by_id() -> Select:
    """One style by `id`, with its artist (whoever may see it: the caller decides)."""
    columns = (*COLUMNS, null(), User.id, User.username, Style.deleted_at)
    return select(*columns).join(User, User.id == Style.artist_id).where(Style.id == bindparam("id"))


@functools.cache
def public_preview() -> Select:
    """The style, if it is listed and `key` is one of the training images it shows as previews."""
    previews = Style.image_keys[1:PREVIEW_IMAGES]
    one = literal_column("1")
    return select(one).where(Style.id == bindparam("id"), *LISTED, bindparam("key", type_=String) == any_(previews))
