"""Use cases of the catalog's read side: browse exams or courses, read one."""

import base64
import binascii
import dataclasses
import json
import re
import uuid
from datetime import UTC, datetime
from typing import NamedTuple

from gateway.catalog.store import (
    CATALOGS,
    ITEM_FIELDS,
    SORT_COLUMNS,
    Catalog,
    CatalogStore,
    page_template,
)
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import InvalidInput, NotFound
from gateway.platform.jsoncodec import decode

__all__ = ["CATALOGS", "SORT_COLUMNS", "Catalog", "Cursor", "Entry", "Filters", "Listing", "Page"]

DEFAULT_ORDER = {"created": "desc", "popular": "desc", "price": "asc", "start_at": "asc"}
PAGE_WINDOW = 2_000  # numbered pages reach this many rows (an OFFSET walks every row it skips); cursors go on
COUNT_LIMIT = 1_000  # an unfiltered table this small is counted exactly; a bigger one is estimated
WALK_ROWS = 5_000  # a title search first looks for a page among this many rows in order (see catalog_sql)
APPLIED = len(ITEM_FIELDS)  # a signed-in viewer's rows carry `applied` after the item's fields
START, END = ITEM_FIELDS.index("start_at"), ITEM_FIELDS.index("end_at")
TRIGRAM = re.compile(r"[^\W_]{3}")  # three letters or digits in a row: the trigram index can serve the search


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
            sort, order, key, item_id = decode(raw)  # bounded: json.loads recursed on a cursor of '[[[[...'
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


class _Fields(NamedTuple):
    id: int
    title: str
    description: str
    price: int
    start_utc: datetime
    end_utc: datetime
    registration_count: int
    created_utc: datetime
    updated_utc: datetime
    available: bool
    applied: bool


class Entry(_Fields):
    """An item as a viewer sees it; the *_at properties are its times (aware, UTC).

    A tuple holding the times in UTC without a zone, as read: a page makes twenty, and a frozen dataclass,
    timestamps in the server's zone or a zone attached to each cost more than finding the page did.
    """

    __slots__ = ()

    @property
    def start_at(self) -> datetime:
        return self.start_utc.replace(tzinfo=UTC)

    @property
    def end_at(self) -> datetime:
        return self.end_utc.replace(tzinfo=UTC)

    @property
    def created_at(self) -> datetime:
        return self.created_utc.replace(tzinfo=UTC)

    @property
    def updated_at(self) -> datetime:
        return self.updated_utc.replace(tzinfo=UTC)


@dataclasses.dataclass(frozen=True)
class Page:
    items: list[Entry]
    next_cursor: str | None
    total: int | None
    total_is_exact: bool | None


def list_items(
    uow: UnitOfWork, catalog: Catalog, listing: Listing, viewer_id: uuid.UUID | None = None, now: datetime | None = None
) -> Page:
    """One page in the listing's order (id breaks ties); keyset pagination from a cursor. `now`: for `available`."""
    now = now or datetime.now(UTC)
    query, params = page_query(catalog, listing, now, viewer_id)
    with uow.reading() as conn:
        store = CatalogStore(conn)
        rows = store.page_rows(query, params)
        more, rows = len(rows) > listing.page_size, rows[: listing.page_size]
        total = (None, None) if listing.cursor else _total(store, catalog, listing, rows, more)
    signed_in, wall = viewer_id is not None, now.astimezone(UTC).replace(tzinfo=None)
    items = [_entry(row, wall, signed_in and row[APPLIED]) for row in rows]
    next_cursor = None
    if more:
        last = items[-1]
        next_cursor = Cursor(listing.sort, listing.order, getattr(last, SORT_COLUMNS[listing.sort]), last.id).encode()
    return Page(items, next_cursor, *total)


def get_item(uow: UnitOfWork, catalog: Catalog, raw_id: str, viewer_id: uuid.UUID | None = None) -> Entry:
    """One item by its id; NotFound for an unknown or malformed id."""
    if not raw_id.isascii() or not raw_id.isdigit() or not 0 < int(raw_id) < 2**63:
        raise NotFound(f"'{raw_id[:64]}' is not an id in {catalog.name} (ids are positive integers)")
    params = {"id": int(raw_id)} if viewer_id is None else {"id": int(raw_id), "user_id": viewer_id}
    with uow.reading() as conn:
        found = CatalogStore(conn).item_rows(catalog.name, params, viewer_id is not None)
    if not found:
        raise NotFound(f"no item with id {raw_id} in {catalog.name}")
    return _entry(found[0], datetime.now(UTC).replace(tzinfo=None), viewer_id is not None and found[0][APPLIED])


# Statements are built and compiled once per shape, with bind parameters, and reused (gateway.platform.db.fetch_rows):
# building a statement with SQLAlchemy cost more CPU than PostgreSQL took to run it.


def page_query(catalog: Catalog, listing: Listing, now: datetime, viewer_id: uuid.UUID | None = None):
    """The rows of one page, plus one to tell whether another page follows, and the values to run it with.

    An unfiltered page by number also carries the table's size (see catalog_sql._size_columns), so that
    answering with a total costs no second round trip; a signed-in viewer's rows say whether they applied.
    """
    values = _filter_values(listing.filters, now)
    shape, params = tuple(values), {**values, "limit": listing.page_size + 1, "walk": WALK_ROWS}
    if listing.cursor is not None:
        params |= {"cursor_key": listing.cursor.key, "cursor_id": listing.cursor.id}
    else:
        params |= {"offset": (listing.page - 1) * listing.page_size, "count_limit": COUNT_LIMIT}
    if viewer_id is not None:
        params["user_id"] = viewer_id
    by_cursor, sized = listing.cursor is not None, listing.cursor is None and not shape
    template = page_template(catalog.name, listing.sort, listing.order, shape, by_cursor, sized, viewer_id is not None)
    return template, params


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
        "regex": _literal_regex(q) if q and q.lower() != q.upper() else None,
        "bigrams": q if q and not TRIGRAM.search(q) else None,  # no three letters in a row: see catalog_sql
    }
    return {name: value for name, value in values.items() if value is not None}


def _literal_regex(text_: str) -> str:
    """A regular expression matching `text_` itself: every character but letters and digits escaped.

    Matched with ~* (case-insensitive), which finds what ILIKE '%text%' finds (checked on the seeded
    million titles) at 60-70% of its cost per row, and the trigram index serves it as well.
    """
    return "".join(char if char.isalnum() else "\\" + char for char in text_)


def _contains(text_: str) -> str:
    """A LIKE pattern matching `text_` anywhere, its own % _ and \\ taken literally."""
    return "%" + text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _total(store: CatalogStore, catalog: Catalog, listing: Listing, rows: list, more: bool):
    """(total, exact): the count when this page is the last; else the table's size without filters (exact when
    small, else PostgreSQL's estimate), and unknown (None) with them: counting a filter's matches across a
    million rows costs far more than finding one page of them."""
    seen = (listing.page - 1) * listing.page_size + len(rows)
    if not more and (rows or listing.page == 1):
        return seen, True
    if listing.filters != Filters():
        return None, False
    sizes = (rows or store.size_rows(catalog.name, COUNT_LIMIT))[0][-2:]
    estimate, counted = sizes
    if counted is not None and counted <= COUNT_LIMIT:
        return counted, True
    return max(estimate, counted or 0, seen + more), False


def _entry(row: tuple, now: datetime, applied: bool) -> Entry:
    """An Entry from a row of catalog_sql's layout; `now` and the row's times are UTC without a zone."""
    return Entry._make((*row[:APPLIED], row[START] <= now < row[END], applied))
