"""Use cases of the catalog's read side: browse exams or courses, read one."""

import base64
import binascii
import dataclasses
import json
import uuid
from datetime import UTC, datetime

from sqlalchemy import Connection, Select, Table, case, func, select, text, tuple_

from gateway.db import UnitOfWork
from gateway.models import Course, CourseRegistration, Exam, TestRegistration
from gateway.services.errors import InvalidInput, NotFound

SORT_COLUMNS = {"created": "created_at", "popular": "registration_count", "price": "price", "start_at": "start_at"}
DEFAULT_ORDER = {"created": "desc", "popular": "desc", "price": "asc", "start_at": "asc"}
PAGE_WINDOW = 10_000  # page-based pagination reaches this many rows; the cursor goes on from there
COUNT_LIMIT = 1_000  # totals are counted exactly up to this; beyond it they are estimates
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

    def any(self) -> bool:
        return self != Filters()


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
    conditions = _conditions(catalog.table, listing.filters, now)
    with uow as session:
        conn = session.connection(execution_options=READ)
        rows = conn.execute(page_query(catalog, listing, now)).all()
        more, rows = len(rows) > listing.page_size, rows[: listing.page_size]
        applied = _applied(conn, catalog, [row.id for row in rows], viewer_id)
        total = (None, None) if listing.cursor else _total(conn, catalog.table, conditions, listing, rows, more)
    items = [_entry(row, now, row.id in applied) for row in rows]
    next_cursor = None
    if more:
        key = getattr(rows[-1], SORT_COLUMNS[listing.sort])
        next_cursor = Cursor(listing.sort, listing.order, key, rows[-1].id).encode()
    return Page(items, next_cursor, *total)


def page_query(catalog: Catalog, listing: Listing, now: datetime) -> Select:
    """The rows of one page, plus one to tell whether another page follows.

    An unfiltered page by number also carries the table's size (see `_size_columns`), so that
    answering with a total costs no second round trip.
    """
    table = catalog.table
    column, ascending = table.c[SORT_COLUMNS[listing.sort]], listing.order == "asc"
    conditions = _conditions(table, listing.filters, now)
    query = select(*(table.c[name] for name in ITEM_FIELDS)).where(*conditions)
    if listing.cursor is not None:
        position, after = tuple_(column, table.c.id), (listing.cursor.key, listing.cursor.id)
        query = query.where(position > after if ascending else position < after)
    else:
        query = query.offset((listing.page - 1) * listing.page_size)
        if not conditions:
            query = query.add_columns(*_size_columns(table))
    ordering = (column.asc(), table.c.id.asc()) if ascending else (column.desc(), table.c.id.desc())
    return query.order_by(*ordering).limit(listing.page_size + 1)


def get_item(uow: UnitOfWork, catalog: Catalog, raw_id: str, viewer_id: uuid.UUID | None = None) -> Entry:
    """One item by its id; NotFound for an unknown or malformed id."""
    if not raw_id.isascii() or not raw_id.isdigit() or not 0 < int(raw_id) < 2**63:
        raise NotFound(f"'{raw_id[:64]}' is not an id in {catalog.name} (ids are positive integers)")
    table = catalog.table
    with uow as session:
        conn = session.connection(execution_options=READ)
        row = conn.execute(select(*(table.c[n] for n in ITEM_FIELDS)).where(table.c.id == int(raw_id))).first()
        if row is None:
            raise NotFound(f"no item with id {raw_id} in {catalog.name}")
        applied = _applied(conn, catalog, [row.id], viewer_id)
    return _entry(row, datetime.now(UTC), row.id in applied)


def _conditions(table: Table, filters: Filters, now: datetime) -> list:
    conditions = []
    if filters.available:
        conditions += [table.c.start_at <= now, table.c.end_at > now]
    if filters.min_price is not None:
        conditions.append(table.c.price >= filters.min_price)
    if filters.max_price is not None:
        conditions.append(table.c.price <= filters.max_price)
    if filters.starts_after is not None:
        conditions.append(table.c.start_at >= filters.starts_after)
    if filters.starts_before is not None:
        conditions.append(table.c.start_at < filters.starts_before)
    if filters.q:
        escaped = filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(table.c.title.ilike(f"%{escaped}%"))  # the trigram GIN index serves it
    return conditions


def _applied(conn: Connection, catalog: Catalog, ids: list[int], viewer_id: uuid.UUID | None) -> set[int]:
    if viewer_id is None or not ids:
        return set()
    return set(conn.scalars(applied_query(catalog, ids, viewer_id)))


def applied_query(catalog: Catalog, ids: list[int], viewer_id: uuid.UUID) -> Select:
    """Which of these items the viewer holds a live (not cancelled) registration for: one query per page."""
    registrations = catalog.registrations
    item = registrations.c[catalog.item_column]
    return select(item).where(
        registrations.c.user_id == viewer_id, item.in_(ids), registrations.c.status != "cancelled"
    )


def _total(conn: Connection, table: Table, conditions: list, listing: Listing, rows: list, more: bool):
    """(total, exact): exact when this page is the last or few match, else an estimate (see COUNT_LIMIT)."""
    seen = (listing.page - 1) * listing.page_size + len(rows)
    if not more and (rows or listing.page == 1):
        return seen, True
    if not conditions:
        estimate, counted = rows[0][-2:] if rows else conn.execute(select(*_size_columns(table))).one()
        return (counted, True) if counted is not None and counted <= COUNT_LIMIT else (max(estimate, seen), False)
    estimate = _planned_rows(conn, select(table.c.id).where(*conditions))
    if estimate <= COUNT_LIMIT:
        capped = select(table.c.id).where(*conditions).limit(COUNT_LIMIT + 1).subquery()
        counted = conn.scalar(select(func.count()).select_from(capped))
        if counted <= COUNT_LIMIT:
            return counted, True
    return max(estimate, seen + more), False


def _size_columns(table: Table) -> tuple:
    """The table's row count as PostgreSQL keeps it (pg_class.reltuples, from ANALYZE and autovacuum) and,
    only when that says the table is small or was never analysed, an exact count capped at COUNT_LIMIT + 1."""
    estimate = select(text("reltuples::bigint FROM pg_class")).where(
        text(f"oid = '{table.name}'::regclass")
    ).scalar_subquery()
    capped = select(func.count()).select_from(select(table.c.id).limit(COUNT_LIMIT + 1).subquery())
    counted = case((estimate <= COUNT_LIMIT, capped.scalar_subquery()))
    return estimate.label("table_estimate"), counted.label("table_count")


def _planned_rows(conn: Connection, query: Select) -> int:
    """The planner's estimate of the rows a query returns (one EXPLAIN: no rows are read)."""
    compiled = query.compile(dialect=conn.dialect)
    plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar()
    return int(plan[0]["Plan"]["Plan Rows"])


def _entry(row, now: datetime, applied: bool) -> Entry:
    return Entry(*row[:ITEM_COUNT], available=row.start_at <= now < row.end_at, applied=applied)
