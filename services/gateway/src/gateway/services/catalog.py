"""Use cases of the catalog's read side: browse exams or courses, read one."""

import base64
import binascii
import dataclasses
import functools
import json
import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Connection,
    Select,
    Table,
    any_,
    bindparam,
    case,
    func,
    select,
    text,
    tuple_,
    union_all,
)
from sqlalchemy.dialects import postgresql

from gateway.db import UnitOfWork
from gateway.models import Course, CourseRegistration, Exam, TestRegistration
from gateway.services.errors import InvalidInput, NotFound

SORT_COLUMNS = {"created": "created_at", "popular": "registration_count", "price": "price", "start_at": "start_at"}
DEFAULT_ORDER = {"created": "desc", "popular": "desc", "price": "asc", "start_at": "asc"}
PAGE_WINDOW = 2_000  # numbered pages reach this many rows (an OFFSET walks every row it skips); cursors go on
COUNT_LIMIT = 1_000  # an unfiltered table this small is counted exactly; a bigger one is estimated
TITLE = ("like", "ilike")
WALK_ROWS = 5_000  # a title search first looks for a page among this many rows in order (see _title_search)
READ = {"isolation_level": "AUTOCOMMIT"}  # reads need no transaction: saves the BEGIN and ROLLBACK round trips
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
ITEM_COUNT = len(ITEM_FIELDS)
ID, START, END = (ITEM_FIELDS.index(name) for name in ("id", "start_at", "end_at"))


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
class Filters:
    """What narrows a listing; None means no bound."""

    available: bool = False
    min_price: int | None = None
    max_price: int | None = None
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    q: str | None = None


@dataclasses.dataclass(frozen=True)
class Cursor:
    """A position in one ordering: the sort key and id of the last item seen."""

    sort: str
    order: str
    key: int | datetime
    id: int

    def encode(self) -> str:
        key = self.key.isoformat() if isinstance(self.key, datetime) else self.key
        raw = json.dumps([self.sort, self.order, key, self.id], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> "Cursor":
        """The cursor in a `next_cursor` token; InvalidInput for anything else."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            sort, order, key, item_id = json.loads(raw)
            if sort not in SORT_COLUMNS or order not in ("asc", "desc") or type(item_id) is not int:
                raise ValueError
            if sort in ("created", "start_at"):
                key = datetime.fromisoformat(key)
                if key.tzinfo is None:
                    raise ValueError
            elif type(key) is not int:
                raise ValueError
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise InvalidInput("Not a cursor from this API: pass `next_cursor` back unchanged.", "cursor") from None
        return cls(sort, order, key, item_id)


@dataclasses.dataclass(frozen=True)
class Listing:
    """One request for a page: filters, ordering, and where to start (a page number or a cursor)."""

    filters: Filters = Filters()
    sort: str = "created"
    order: str = "desc"
    page_size: int = 20
    page: int | None = 1
    cursor: Cursor | None = None


@dataclasses.dataclass(frozen=True)
class Entry:
    """An item as a viewer sees it."""

    id: int
    title: str
    description: str
    price: int
    start_at: datetime
    end_at: datetime
    registration_count: int
    created_at: datetime
    updated_at: datetime
    available: bool
    applied: bool


@dataclasses.dataclass(frozen=True)
class Page:
    items: list[Entry]
    next_cursor: str | None
    total: int | None
    total_is_exact: bool | None


def list_items(uow: UnitOfWork, catalog: Catalog, listing: Listing, viewer_id: uuid.UUID | None = None) -> Page:
    """One page in the listing's order (id breaks ties); keyset pagination from a cursor."""
    now = datetime.now(UTC)
    query, params = page_query(catalog, listing, now)
    with uow as session:
        conn = session.connection(execution_options=READ)
        rows = _fetch(conn, query, params)
        more, rows = len(rows) > listing.page_size, rows[: listing.page_size]
        applied = _applied(conn, catalog, [row[ID] for row in rows], viewer_id)
        total = (None, None) if listing.cursor else _total(conn, catalog, listing, rows, more)
    items = [_entry(row, now, row[ID] in applied) for row in rows]
    next_cursor = None
    if more:
        key = rows[-1][ITEM_FIELDS.index(SORT_COLUMNS[listing.sort])]
        next_cursor = Cursor(listing.sort, listing.order, key, rows[-1][ID]).encode()
    return Page(items, next_cursor, *total)


def get_item(uow: UnitOfWork, catalog: Catalog, raw_id: str, viewer_id: uuid.UUID | None = None) -> Entry:
    """One item by its id; NotFound for an unknown or malformed id."""
    if not raw_id.isascii() or not raw_id.isdigit() or not 0 < int(raw_id) < 2**63:
        raise NotFound(f"'{raw_id[:64]}' is not an id in {catalog.name} (ids are positive integers)")
    with uow as session:
        conn = session.connection(execution_options=READ)
        found = _fetch(conn, _item_query(catalog.name), {"id": int(raw_id)})
        if not found:
            raise NotFound(f"no item with id {raw_id} in {catalog.name}")
        applied = _applied(conn, catalog, [found[0][ID]], viewer_id)
    return _entry(found[0], datetime.now(UTC), bool(applied))


# Queries are built and compiled once per shape, with bind parameters, and reused (see _fetch): building a
# statement with SQLAlchemy cost more CPU than PostgreSQL took to run it.


def page_query(catalog: Catalog, listing: Listing, now: datetime) -> tuple[Select, dict]:
    """The rows of one page, plus one to tell whether another page follows, and the values to run it with.

    An unfiltered page by number also carries the table's size (see `_size_columns`), so that
    answering with a total costs no second round trip.
    """
    values = _filter_values(listing.filters, now)
    shape, params = tuple(values), {**values, "limit": listing.page_size + 1, "walk": WALK_ROWS}
    if listing.cursor is not None:
        params |= {"cursor_key": listing.cursor.key, "cursor_id": listing.cursor.id}
    else:
        params |= {"offset": (listing.page - 1) * listing.page_size, "count_limit": COUNT_LIMIT}
    by_cursor, sized = listing.cursor is not None, listing.cursor is None and not shape
    return _page_template(catalog.name, listing.sort, listing.order, shape, by_cursor, sized), params


@functools.cache
def _page_template(name: str, sort: str, order: str, shape: tuple, by_cursor: bool, sized: bool) -> Select:
    table = CATALOGS[name].table
    column, ascending = table.c[SORT_COLUMNS[sort]], order == "asc"
    others, titles = [n for n in shape if n not in TITLE], [n for n in shape if n in TITLE]
    rows = select(*(table.c[field] for field in ITEM_FIELDS)).where(*_conditions(table, others))
    if by_cursor:
        position = tuple_(column, table.c.id)
        after = tuple_(bindparam("cursor_key", type_=column.type), bindparam("cursor_id", type_=BigInteger))
        rows = rows.where(position > after if ascending else position < after)
    if titles:
        return _title_search(table, rows, column.name, ascending, titles, by_cursor)
    if sized:
        rows = rows.add_columns(*_size_columns(table))
    return _paged(rows, _ordering(table, column.name, ascending), by_cursor)


def _title_search(table: Table, rows: Select, key: str, ascending: bool, titles: list, by_cursor: bool) -> Select:
    """Title search whose cost does not hang on the planner guessing how common the words are.

    First the next WALK_ROWS rows in the listing's order are searched: a common word fills the page from
    them. Only if it does not are all matches found through the trigram index and sorted (a rare word has
    few). Left to itself, the planner chose between those two by an estimate that was off by 100 times either
    way (seen: 97 rows estimated, 11,435 found), and the wrong choice cost 30 ms to a second.
    """
    head = rows.order_by(*_ordering(table, key, ascending)).limit(bindparam("walk")).subquery("head")
    first = _paged(select(head).where(*_conditions(head, titles)), _ordering(head, key, ascending), by_cursor)
    first = first.cte("first_try")
    found = select(func.count()).select_from(first).scalar_subquery()
    matching = rows.where(*_conditions(table, titles)).offset(0).subquery("matching")  # OFFSET 0: filter first
    rest = select(matching).where(found < bindparam("limit"))  # runs only when the walk fell short
    page = union_all(
        select(first).where(found >= bindparam("limit")), _paged(rest, _ordering(matching, key, ascending), by_cursor)
    ).subquery("page")
    return select(page).order_by(*_ordering(page, key, ascending)).limit(bindparam("limit"))


def _ordering(source, key: str, ascending: bool) -> tuple:
    column, tie = source.c[key], source.c.id
    return (column.asc(), tie.asc()) if ascending else (column.desc(), tie.desc())


def _paged(query: Select, ordering: tuple, by_cursor: bool) -> Select:
    query = query.order_by(*ordering).limit(bindparam("limit"))
    return query if by_cursor else query.offset(bindparam("offset"))


def _filter_values(filters: Filters, now: datetime) -> dict:
    """The bind values of the filters in use, in a fixed order (their names make the query's shape)."""
    q = filters.q
    values = {
        "now": now if filters.available else None,
        "min_price": filters.min_price,
        "max_price": filters.max_price,
        "starts_after": filters.starts_after,
        "starts_before": filters.starts_before,
        # LIKE where case cannot matter (Hangul, digits): it matches the same and costs far less than ILIKE
        "like": _contains(q) if q and q.lower() == q.upper() else None,
        "ilike": _contains(q) if q and q.lower() != q.upper() else None,
    }
    return {name: value for name, value in values.items() if value is not None}


def _contains(text_: str) -> str:
    """A LIKE pattern matching `text_` anywhere, its own % _ and \\ taken literally."""
    return "%" + text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _conditions(source, names: list) -> list:
    """The named filters, on a table or a subquery of it."""
    c = source.c
    conditions = {
        "now": (c.start_at <= bindparam("now"), c.end_at > bindparam("now")),
        "min_price": (c.price >= bindparam("min_price"),),
        "max_price": (c.price <= bindparam("max_price"),),
        "starts_after": (c.start_at >= bindparam("starts_after"),),
        "starts_before": (c.start_at < bindparam("starts_before"),),
        "like": (c.title.like(bindparam("like")),),  # the trigram GIN index serves both
        "ilike": (c.title.ilike(bindparam("ilike")),),
    }
    return [condition for name in names for condition in conditions[name]]


@functools.cache
def _item_query(name: str) -> Select:
    table = CATALOGS[name].table
    return select(*(table.c[field] for field in ITEM_FIELDS)).where(table.c.id == bindparam("id"))


def _applied(conn: Connection, catalog: Catalog, ids: list[int], viewer_id: uuid.UUID | None) -> set[int]:
    if viewer_id is None or not ids:
        return set()
    return {row[0] for row in _fetch(conn, applied_query(catalog.name), {"user_id": viewer_id, "ids": ids})}


@functools.cache
def applied_query(name: str) -> Select:
    """Which of the page's items (`ids`) the viewer (`user_id`) holds a live registration for: one query a page."""
    catalog = CATALOGS[name]
    registrations = catalog.registrations
    item = registrations.c[catalog.item_column]
    return select(item).where(
        registrations.c.user_id == bindparam("user_id"),
        item == any_(bindparam("ids", type_=ARRAY(BigInteger))),
        registrations.c.status != "cancelled",
    )


def _total(conn: Connection, catalog: Catalog, listing: Listing, rows: list, more: bool):
    """(total, exact): the count when this page is the last; else the table's size without filters (exact when
    small, else PostgreSQL's estimate), and unknown (None) with them: counting a filter's matches across a
    million rows costs far more than finding one page of them."""
    seen = (listing.page - 1) * listing.page_size + len(rows)
    if not more and (rows or listing.page == 1):
        return seen, True
    if listing.filters != Filters():
        return None, False
    sizes = (rows or _fetch(conn, _sizes_query(catalog.name), {"count_limit": COUNT_LIMIT}))[0][-2:]
    estimate, counted = sizes
    if counted is not None and counted <= COUNT_LIMIT:
        return counted, True
    return max(estimate, counted or 0, seen + more), False


@functools.cache
def _sizes_query(name: str) -> Select:
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


def _entry(row, now: datetime, applied: bool) -> Entry:
    return Entry(*row[:ITEM_COUNT], available=row[START] <= now < row[END], applied=applied)


def _fetch(conn: Connection, query: Select, params: dict) -> list[tuple]:
    """The rows of a cached statement, straight from psycopg (prepared after a few runs).

    SQLAlchemy's execution and result layers cost more CPU than the query itself: a page took
    0.41 ms of CPU through them and 0.17 ms without.
    """
    sql, defaults = _compiled(query)
    return conn.connection.driver_connection.execute(sql, {**defaults, **params}).fetchall()


@functools.cache
def _compiled(query: Select) -> tuple[str, dict]:
    compiled = query.compile(dialect=postgresql.psycopg.dialect())
    return str(compiled), compiled.params
