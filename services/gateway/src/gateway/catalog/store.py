"""The catalog's statements: built once per listing shape, with bind parameters, and reused.

Two ways to read a page in order. Without a filter on the window, the btree index on (sort key, id)
gives the rows in order and the filters are checked on the way: matches are spread through the
order. With `available` or a start_at range they are not (the open items are the newest, so an
ascending walk met 900,000 closed ones first, ~1 s), so the page is read from a GiST index on
(sort key, id, start_at, end_at) (btree_gist) that skips whole subtrees outside the window, in
order of distance from an anchor at one end of the order (a KNN scan): that is the listing's
order, ties broken by id, wherever in it the matches sit.
"""

import dataclasses
import functools

from sqlalchemy import (
    BigInteger,
    DateTime,
    Integer,
    Select,
    Table,
    Uuid,
    any_,
    bindparam,
    case,
    exists,
    func,
    literal,
    literal_column,
    select,
    text,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import array

from gateway.catalog.models import Course, CourseRegistration, Exam, TestRegistration
from gateway.platform.db import fetch_rows

SORT_COLUMNS = {"created": "created_at", "popular": "registration_count", "price": "price", "start_at": "start_at"}
ITEM_FIELDS = (
    "id",
    "title",
    "description",
    "price",
    "start_at",
    "end_at",
    "registration_count",
    "created_at",
    "updated_at",
)
TIMES = frozenset({"start_at", "end_at", "created_at", "updated_at"})
TITLE = ("like", "regex", "bigrams")
WINDOW = frozenset({"now", "starts_after", "starts_before"})  # the filters a GiST index serves with any order
# GiST measures distance in float8, exact for integers below 2**53: ids stay far below, so it is the far end
# of a descending id order (and timestamps stay exact to the microsecond within 136 years of their anchor)
ID_END = 2**53
NOW = bindparam("now", type_=DateTime(timezone=True))
ZERO = literal_column("0", Integer)


@dataclasses.dataclass(frozen=True)
class Catalog:
    """One browsable table and the registrations that say who applied to its items."""

    name: str
    table: Table
    registrations: Table
    item_column: str


CATALOGS = {
    "tests": Catalog("tests", Exam.__table__, TestRegistration.__table__, "test_id"),
    "courses": Catalog("courses", Course.__table__, CourseRegistration.__table__, "course_id"),
}


@dataclasses.dataclass(frozen=True)
class Order:
    """A listing's order: its sort column, the direction, and whether a filter on the window is in use."""

    key: str
    ascending: bool
    windowed: bool

    def by(self, source) -> tuple:
        """ORDER BY for a table or a subquery of its rows."""
        column, tie = source.c[self.key], source.c.id
        return (column.asc(), tie.asc()) if self.ascending else (column.desc(), tie.desc())

    @property
    def by_start(self) -> bool:
        """Read from the GiST index on start_at, which holds it in UTC without a zone (see `_gist_key`)."""
        return self.windowed and self.key == "start_at"

    def after(self, source) -> list:
        """Rows past the cursor's (key, id), as a btree range."""
        column = source.c[self.key]
        position, at = tuple_(column, source.c.id), tuple_(_cursor_key(column), _cursor_id())
        return [position > at if self.ascending else position < at]


@functools.cache
def page_template(name: str, sort: str, order: str, shape: tuple, by_cursor: bool, sized: bool, viewer: bool):
    """The page's rows (ITEM_FIELDS, and one more to tell whether a page follows), then `applied` for a
    signed-in viewer, then the table's size if `sized`."""
    catalog = CATALOGS[name]
    table = catalog.table
    listing = Order(SORT_COLUMNS[sort], order == "asc", not WINDOW.isdisjoint(shape))
    others, titles = [n for n in shape if n not in TITLE], [n for n in shape if n in TITLE]
    if titles:
        page = _title_search(table, listing, others, titles, by_cursor)
    elif listing.windowed:
        page = _nearest_page(table, listing, others, by_cursor)
    else:
        page = _btree_page(table, listing, others, by_cursor)
        if sized:
            page = page.add_columns(*_size_columns(table))
    return _shown(catalog, page.subquery("page_rows"), listing.by, sized, viewer)


def _columns(source) -> list:
    return [source.c[field] for field in ITEM_FIELDS]


def _btree_page(table: Table, listing: Order, names: list, by_cursor: bool) -> Select:
    rows = select(*_columns(table)).where(*_conditions(table, names))
    if by_cursor:
        rows = rows.where(*listing.after(table))
    return _paged(rows, listing.by(table), by_cursor)


def _nearest(table: Table, listing: Order, anchor, id_anchor) -> tuple:
    """ORDER BY distances from the anchors, which the GiST index on (key, id, ...) yields in order (KNN).

    Every row compared lies on one side of each anchor, so distance order is the listing's order.
    """
    key = _gist_key(listing, table.c[listing.key])
    return key.op("<->")(_gist_key(listing, anchor)), table.c.id.op("<->")(id_anchor)


def _gist_key(listing: Order, value):
    """A sort-key value as the GiST index made for the order holds it.

    Every GiST index holds start_at, so each could serve a KNN order on it, and given a price filter the
    planner took the price index (20 ms, against 0.2 ms for the right one); the start_at index holds
    start_at in UTC without a zone (the same order), which only that index can serve.
    """
    return _utc(value) if listing.key == "start_at" else value


def _utc(value):
    return func.timezone(literal_column("'UTC'"), value)


def _first_anchors(table: Table, listing: Order, *within) -> tuple:
    """The ends of the order among rows meeting `within`: the first key (through the btree index), the id bound."""
    column = table.c[listing.key]
    edge = select((func.min if listing.ascending else func.max)(column)).where(*within).scalar_subquery()
    return edge, literal(0 if listing.ascending else ID_END, BigInteger)


def _nearest_page(table: Table, listing: Order, names: list, by_cursor: bool) -> Select:
    """A page in KNN order from the GiST index of the order.

    Popularity has two, for items with and without registrations (see models.catalog._window_indexes): the
    page is the first rows of both.
    """
    rows = select(*_columns(table)).where(*_conditions(table, names, listing.by_start))
    if listing.key != "registration_count":
        return _ordered_part(table, listing, rows, by_cursor, paged=True)
    count = table.c.registration_count
    positive = count > ZERO  # a literal: a bind parameter would not prove the partial index's predicate
    parts = _zero_part(table, listing, rows, by_cursor), _ordered_part(table, listing, rows, by_cursor, positive)
    page = union_all(*parts).subquery("page")
    return _paged(select(*_columns(page)), listing.by(page), by_cursor)


def _ordered_part(table: Table, listing: Order, rows: Select, by_cursor: bool, *within, paged=False) -> Select:
    """Rows meeting `within` in KNN order, enough for the page; after a cursor, its ties, then the keys beyond."""
    rows, limit = rows.where(*within), bindparam("limit")
    if not by_cursor:
        ordered = rows.order_by(*_nearest(table, listing, *_first_anchors(table, listing, *within)))
        return ordered.limit(limit).offset(bindparam("offset")) if paged else ordered.limit(limit + bindparam("offset"))
    raw_key = _cursor_key(table.c[listing.key])
    column, key, last = _gist_key(listing, table.c[listing.key]), _gist_key(listing, raw_key), _cursor_id()
    later = table.c.id > last if listing.ascending else table.c.id < last
    # both distances, though the first is 0 here: only the index on (key, id, ...) can then serve the order
    ties = rows.where(column == key, later).order_by(*_nearest(table, listing, raw_key, last)).limit(limit)
    ties = ties.cte(f"ties_{len(within)}").prefix_with("MATERIALIZED", dialect="postgresql")
    short = select(func.count()).select_from(ties).scalar_subquery() < limit
    beyond = column > key if listing.ascending else column < key
    anchors = _next_anchors(table, listing, *within)
    page = union_all(
        select(*_columns(ties)), rows.where(beyond, short).order_by(*_nearest(table, listing, *anchors)).limit(limit)
    )
    page = page.subquery(f"part_{len(within)}")
    return select(*_columns(page)).order_by(*listing.by(page)).limit(limit)


def _zero_part(table: Table, listing: Order, rows: Select, by_cursor: bool) -> Select:
    """Rows with no registration, in id order (their own GiST index), enough for the page.

    After a cursor the ids are bounded by where it stands: past its id if it has 0 registrations too, else all
    of them or none, by the direction.
    """
    count, key, ascending = table.c.registration_count, _cursor_key(table.c.registration_count), listing.ascending
    none, every = literal(ID_END if ascending else 0, BigInteger), literal(0 if ascending else ID_END, BigInteger)
    if not by_cursor:
        bound, limit = every, bindparam("limit") + bindparam("offset")
    else:
        cursor_before_zeros = key < 0 if ascending else key > 0
        bound, limit = case((key == 0, _cursor_id()), (cursor_before_zeros, every), else_=none), bindparam("limit")
        rows = rows.where(table.c.id > bound if ascending else table.c.id < bound)
    return rows.where(count == ZERO).order_by(count.op("<->")(ZERO), table.c.id.op("<->")(bound)).limit(limit)


def _next_anchors(table: Table, listing: Order, *within) -> tuple:
    """The first key past the cursor's among rows meeting `within`: the rows there are at distance 0.

    Anchored at the cursor's own key instead, the index must first search every subtree whose key range
    straddles it, and with long runs of equal keys those were thousands.
    """
    column, key = table.c[listing.key], _cursor_key(table.c[listing.key])
    beyond = column > key if listing.ascending else column < key
    edge = (func.min if listing.ascending else func.max)(column)
    following = select(func.coalesce(edge, key)).where(beyond, *within).scalar_subquery()
    return following, literal(0 if listing.ascending else ID_END, BigInteger)


def _title_search(table: Table, listing: Order, others: list, titles: list, by_cursor: bool) -> Select:
    """Title search whose cost does not hang on the planner guessing how common the words are.

    First the next WALK_ROWS rows in the listing's order are searched: a common word fills the page from
    them. Only if it does not are all matches found through the trigram index and sorted (a rare word has
    few). Left to itself, the planner chose between those two by an estimate that was off by 100 times either
    way (seen: 97 rows estimated, 11,435 found), and the wrong choice cost 30 ms to a second. With a window
    filter the walk follows a GiST index in KNN order, but past a cursor (it would need the cursor's ties
    first) or by popularity (two indexes) the matches are sorted straight away.
    """
    limit = bindparam("limit")
    matching = select(*_columns(table)).where(*_conditions(table, others + titles))
    matching = matching.offset(0).subquery("matching")  # OFFSET 0: filter first, then sort what matched
    # the cursor too is checked on what matched: inside, its range looked like one row to the planner when
    # the cursor sat among the zeros of popularity (a row comparison is estimated by its first column), and
    # it walked 800,000 rows of that range instead of finding the matches (250 ms)
    rest = select(matching).where(*listing.after(matching)) if by_cursor else select(matching)
    rest = _paged(rest, listing.by(matching), by_cursor)
    if listing.windowed and (by_cursor or listing.key == "registration_count"):
        return rest
    head, head_order = _walk(table, listing, others, by_cursor)
    checks = [name for name in titles if name != "bigrams"]  # the walk checks rows; the bigrams find them
    first = _paged(select(head).where(*_conditions(head, checks)), head_order(head), by_cursor).cte("first_try")
    found = select(func.count()).select_from(first).scalar_subquery()
    page = union_all(select(*_columns(first)).where(found >= limit), rest.where(found < limit)).subquery("page")
    return select(*_columns(page)).order_by(*listing.by(page)).limit(limit)


def _walk(table: Table, listing: Order, names: list, by_cursor: bool) -> tuple:
    """The first WALK_ROWS rows in order (the `walk` parameter), and how to order a query over them."""
    rows = select(*_columns(table)).where(*_conditions(table, names, listing.by_start))
    if not listing.windowed:
        if by_cursor:
            rows = rows.where(*listing.after(table))
        return rows.order_by(*listing.by(table)).limit(bindparam("walk")).subquery("head"), listing.by
    distances = _nearest(table, listing, *_first_anchors(table, listing))
    rows = rows.add_columns(distances[0].label("key_distance"), distances[1].label("id_distance"))
    head = rows.order_by(text("key_distance"), text("id_distance")).limit(bindparam("walk")).subquery("head")
    return head, lambda source: (source.c.key_distance, source.c.id_distance)


def _paged(query: Select, ordering: tuple, by_cursor: bool) -> Select:
    query = query.order_by(*ordering).limit(bindparam("limit"))
    return query if by_cursor else query.offset(bindparam("offset"))


def _cursor_key(column):
    return bindparam("cursor_key", type_=column.type)


def _cursor_id():
    return bindparam("cursor_id", type_=BigInteger)


def _conditions(source, names: list, by_start: bool = False) -> list:
    """The named filters, on a table or a subquery of it; typed binds, so GiST indexes can serve them.

    `by_start`: on start_at as the GiST index for that order holds it (see `_gist_key`).
    """
    c = source.c
    when, price = DateTime(timezone=True), Integer()
    start, at = (_utc(c.start_at), _utc) if by_start else (c.start_at, lambda value: value)
    conditions = {
        "now": (start <= at(NOW), c.end_at > NOW),
        "min_price": (c.price >= bindparam("min_price", type_=price),),
        "max_price": (c.price <= bindparam("max_price", type_=price),),
        "starts_after": (start >= at(bindparam("starts_after", type_=when)),),
        "starts_before": (start < at(bindparam("starts_before", type_=when)),),
        "like": (c.title.like(bindparam("like")),),  # the trigram GIN index serves both
        "regex": (c.title.op("~*")(bindparam("regex")),),
        # a two-letter word: the bigram GIN index finds the candidates, `like` or `regex` checks them
        "bigrams": (func.catalog_bigrams(c.title).op("@>")(func.catalog_bigrams(bindparam("bigrams"))),),
    }
    return [condition for name in names for condition in conditions[name]]


def _shown(catalog: Catalog, rows, ordering, sized: bool, viewer: bool) -> Select:
    """The outermost projection: timestamps in UTC without a zone, `applied` for a signed-in viewer, the sizes.

    psycopg turns a timestamptz into a datetime in the session's zone, and converting to Etc/UTC (the
    server's default) doubled the cost of reading a page; a plain timestamp read as UTC costs half.
    Whether the viewer applied is an index probe per row here, not a second query.
    """
    columns = [
        func.timezone(literal_column("'UTC'"), rows.c[field]).label(field) if field in TIMES else rows.c[field]
        for field in ITEM_FIELDS
    ]
    if viewer:
        registrations = catalog.registrations
        applied = exists().where(
            registrations.c[catalog.item_column] == rows.c.id,
            registrations.c.user_id == bindparam("user_id", type_=Uuid),
            registrations.c.status != "cancelled",
        )
        columns.append(applied.label("applied"))
    if sized:
        columns += [rows.c.table_estimate, rows.c.table_count]
    return select(*columns).order_by(*ordering(rows))


@functools.cache
def item_template(name: str, viewer: bool) -> Select:
    """One item by `id`, in the layout of a page's rows."""
    catalog = CATALOGS[name]
    table = catalog.table
    # `= ANY(ARRAY[id])`: GiST cannot serve it, so the planner takes the primary key; for a plain `=` it misjudged
    # the btree_gist window indexes (which hold id too) as cheaper and walked one (20-300 ms instead of 0.1 ms).
    by_id = table.c.id == any_(array([bindparam("id", type_=BigInteger)]))
    one = select(*_columns(table)).where(by_id).subquery("item")
    return _shown(catalog, one, lambda _: (), False, viewer)


@functools.cache
def sizes_template(name: str) -> Select:
    return select(*_size_columns(CATALOGS[name].table))


def _size_columns(table: Table) -> tuple:
    """The table's row count as PostgreSQL keeps it (pg_class.reltuples, from ANALYZE and autovacuum) and,
    only when that says the table is small or was never analysed, an exact count capped at COUNT_LIMIT + 1."""
    estimate = (
        select(text("reltuples::bigint FROM pg_class")).where(text(f"oid = '{table.name}'::regclass")).scalar_subquery()
    )
    limit = bindparam("count_limit")
    capped = select(func.count()).select_from(select(table.c.id).limit(limit + 1).subquery())
    counted = case((estimate <= limit, capped.scalar_subquery()))
    return estimate.label("table_estimate"), counted.label("table_count")


class CatalogStore:
    """The catalog's reads over a request's autocommit connection (UnitOfWork.reading)."""

    def __init__(self, conn):
        self._conn = conn

    def page_rows(self, template: Select, params: dict) -> list[tuple]:
        """The rows of a page's statement (from page_template) in the layout of catalog_sql."""
        return fetch_rows(self._conn, template, params)

    def item_rows(self, name: str, params: dict, viewer: bool) -> list[tuple]:
        """The one item by `id` (none if unknown), a viewer's with `applied`."""
        return fetch_rows(self._conn, item_template(name, viewer), params)

    def size_rows(self, name: str, count_limit: int) -> list[tuple]:
        """The table's (estimate, count capped at count_limit + 1) row, as _size_columns reads them."""
        return fetch_rows(self._conn, sizes_template(name), {"count_limit": count_limit})
