"""Request and response shapes of /api/tests and /api/courses."""

from datetime import UTC

import marshmallow as ma

from gateway.catalog.service import (
    COUNT_LIMIT,
    DEFAULT_ORDER,
    PAGE_WINDOW,
    SORT_COLUMNS,
    Cursor,
    Entry,
    Filters,
    Listing,
    Page,
)
from gateway.platform.errors import InvalidInput
from gateway.platform.fields import POSITIVE, Line
from gateway.platform.http import PageArgs, PageSchema

MAX_PRICE = 100_000_000  # won; far above any item, low enough to be a sane bound
UTC_OFFSET = "+00:00"  # what isoformat() appends to a time in UTC
WORD_ERROR = "Needs at least two letters or digits in a row: a title index serves words, not single letters."


class CursorField(ma.fields.String):
    """An opaque `next_cursor` token, decoded into the position it names."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return Cursor.decode(super()._deserialize(value, attr, data, **kwargs))
        except InvalidInput as error:
            raise ma.ValidationError(error.detail) from None


class CatalogListArgs(PageArgs):
    """Filters, ordering and either a page number or a cursor."""

    page = ma.fields.Integer(
        validate=POSITIVE,
        metadata={
            "description": f"1-based. Numbered pages reach the first {PAGE_WINDOW:,} results (page x page_size <= "
            f"{PAGE_WINDOW:,}): an OFFSET walks every row it skips, so deeper pages go by `cursor`."
        },
    )
    cursor = CursorField(
        metadata={
            "description": "`next_cursor` from the previous answer: keyset pagination, as fast on the ten-thousandth "
            "page as on the first. Send the same filters with it; its sort and order are taken from it (or must "
            "match). Not combinable with `page`."
        }
    )
    status = ma.fields.String(
        validate=ma.validate.OneOf(["available"]),
        metadata={"description": "`available`: open now (start_at <= now < end_at)."},
    )
    min_price = ma.fields.Integer(
        validate=ma.validate.Range(min=0, max=MAX_PRICE), metadata={"description": "In won, inclusive."}
    )
    max_price = ma.fields.Integer(
        validate=ma.validate.Range(min=0, max=MAX_PRICE), metadata={"description": "In won, inclusive."}
    )
    starts_after = ma.fields.AwareDateTime(
        default_timezone=UTC,
        metadata={"description": "start_at >= this (ISO 8601 date or date-time; UTC unless an offset is given)."},
    )
    starts_before = ma.fields.AwareDateTime(
        default_timezone=UTC,
        metadata={"description": "start_at < this (ISO 8601 date or date-time; UTC unless an offset is given)."},
    )
    q = Line(
        validate=[ma.validate.Length(min=2, max=100), ma.validate.Regexp(r".*[^\W_]{2}", error=WORD_ERROR)],
        metadata={
            "description": "Title contains this text (case-insensitive), 2-100 characters with at least two "
            "letters or digits in a row (a two-syllable Korean word such as 기사 will do): a trigram index serves "
            "words of three or more, a bigram index shorter ones. A single letter matches too much to be a search."
        },
    )
    sort = ma.fields.String(
        validate=ma.validate.OneOf(list(SORT_COLUMNS)),
        metadata={"description": "`created` (newest first), `popular` (most registrations), `price` (cheapest), "
                  "`start_at` (earliest); ties broken by id. Default `created`."},
    )  # fmt: skip
    order = ma.fields.String(
        validate=ma.validate.OneOf(["asc", "desc"]),
        metadata={"description": "Default: desc for created and popular, asc for price and start_at."},
    )

    @ma.pre_load
    def _strip_q(self, data, **_):
        if isinstance(data.get("q"), str):
            data = {**data, "q": data["q"].strip()}
        return data

    @ma.validates_schema
    def _consistent(self, data, **_):
        errors = {}
        if data.get("min_price") is not None and data.get("max_price", MAX_PRICE) < data["min_price"]:
            errors["max_price"] = ["Must not be below min_price."]
        after, before = data.get("starts_after"), data.get("starts_before")
        if after and before and before <= after:
            errors["starts_before"] = ["Must be after starts_after."]
        cursor = data.get("cursor")
        if cursor and "page" in data:
            errors["page"] = ["Send either page or cursor, not both."]
        if cursor and data.get("sort", cursor.sort) != cursor.sort:
            errors["cursor"] = [f"This cursor belongs to sort={cursor.sort}: send that sort with it."]
        elif cursor and data.get("order", cursor.order) != cursor.order:
            errors["cursor"] = [f"This cursor belongs to order={cursor.order}: send that order with it."]
        if not cursor and data.get("page", 1) * data["page_size"] > PAGE_WINDOW:
            errors["page"] = [f"Pages reach the first {PAGE_WINDOW:,} results; follow next_cursor to go further."]
        if errors:
            raise ma.ValidationError(errors)

    @ma.post_load
    def _listing(self, data, **_) -> Listing:
        filters = Filters(
            available=data.get("status") == "available",
            **{k: data.get(k) for k in ("min_price", "max_price", "starts_after", "starts_before", "q")},
        )
        cursor = data.get("cursor")
        sort = data.get("sort") or (cursor.sort if cursor else "created")
        order = data.get("order") or (cursor.order if cursor else DEFAULT_ORDER[sort])
        page = None if cursor else data.get("page", 1)
        return Listing(filters, sort, order, data["page_size"], page, cursor)


class CatalogItemSchema(ma.Schema):
    """An exam or a course as the caller sees it; prices in whole won."""

    id = ma.fields.Integer()
    title = ma.fields.String()
    description = ma.fields.String()
    price = ma.fields.Integer(metadata={"description": "Whole won (KRW)."})
    start_at = ma.fields.DateTime(metadata={"description": "The window for applying opens."})
    end_at = ma.fields.DateTime(metadata={"description": "The window closes (exclusive)."})
    available = ma.fields.Boolean(metadata={"description": "Open now: start_at <= now < end_at."})
    registration_count = ma.fields.Integer(metadata={"description": "Live registrations; `sort=popular` uses it."})
    applied = ma.fields.Boolean(
        metadata={"description": "The caller holds a registration that is not cancelled; false for anonymous callers."}
    )
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class CatalogPageSchema(PageSchema):
    """A page of exams or courses."""

    items = ma.fields.List(ma.fields.Nested(CatalogItemSchema))
    page = ma.fields.Integer(allow_none=True, metadata={"description": "null when paging by cursor."})
    total = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "Matching items, on numbered pages only (null with a cursor). Exact when this page is the "
            "last. Otherwise, without filters: the table's size, exact up to "
            f"{COUNT_LIMIT:,} and beyond that PostgreSQL's estimate (pg_class.reltuples); with filters: null. An "
            "exact count over a million rows costs far more than the page itself."
        },
    )
    total_is_exact = ma.fields.Boolean(allow_none=True, metadata={"description": "Whether `total` is a count."})
    pages = ma.fields.Integer(allow_none=True, metadata={"description": "From an exact total only, else null."})
    sort = ma.fields.String()
    order = ma.fields.String()
    next_cursor = ma.fields.String(
        allow_none=True, metadata={"description": "Pass as `cursor` for the next page; null on the last page."}
    )


def item_json(entry: Entry) -> dict:
    """Exactly what CatalogItemSchema dumps, built directly: marshmallow took longer to dump a page than the
    database took to find it (a test checks that both agree). The times are UTC, held without a zone."""
    return {
        "id": entry.id,
        "title": entry.title,
        "description": entry.description,
        "price": entry.price,
        "start_at": entry.start_utc.isoformat() + UTC_OFFSET,
        "end_at": entry.end_utc.isoformat() + UTC_OFFSET,
        "available": entry.available,
        "registration_count": entry.registration_count,
        "applied": entry.applied,
        "created_at": entry.created_utc.isoformat() + UTC_OFFSET,
        "updated_at": entry.updated_utc.isoformat() + UTC_OFFSET,
    }


def page_json(page: Page, listing: Listing) -> dict:
    """Exactly what CatalogPageSchema dumps (see item_json)."""
    exact = page.total if page.total_is_exact else None
    return {
        "items": [item_json(entry) for entry in page.items],
        "page": listing.page,
        "page_size": listing.page_size,
        "total": page.total,
        "total_is_exact": page.total_is_exact,
        "pages": None if exact is None else -(-exact // listing.page_size),
        "sort": listing.sort,
        "order": listing.order,
        "next_cursor": page.next_cursor,
    }
