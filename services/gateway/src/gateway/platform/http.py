"""Helpers every API area uses: JSON-only bodies, pagination arguments, keyset cursors."""

import base64
import uuid
from datetime import datetime

import marshmallow as ma
from flask import current_app, request
from flask_smorest import Blueprint
from werkzeug.routing import UnicodeConverter

from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.fields import INT32
from gateway.platform.problems import problem

JSON_TYPES = ("application/json",)


class IdConverter(UnicodeConverter):
    """`<id:style_id>`: a path segment naming one resource, never `me`, which names the caller's own routes beside it.

    Without it `/api/styles/me` also matched `/api/styles/<style_id>`, and its Allow header (405, OPTIONS) offered
    that route's PATCH and DELETE. Documented as the plain string it was (flask-smorest reads the regex's bounds).
    """

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, *args, **kwargs)
        self.regex = r"(?!me\Z)" + self.regex


def require_json_bodies(blp: Blueprint) -> None:
    """Answer 415 to a body that is not JSON, before anything parses it."""

    @blp.before_request
    def _only_json():
        has_body = request.method in ("POST", "PUT", "PATCH") and (request.content_length or request.data)
        if has_body and not (request.mimetype in JSON_TYPES or request.mimetype.endswith("+json")):
            return problem(415, f"Send the body as application/json (got '{request.mimetype or 'none'}').")
        return None


class PageArgs(ma.Schema):
    """Page-based pagination: ?page=1&page_size=20."""

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    page_size = ma.fields.Integer(
        load_default=20, validate=INT32, metadata={"description": "At most 100 (MAX_PAGE_SIZE)."}
    )

    @ma.validates("page_size")
    def _page_size(self, value: int, **_):
        limit = current_app.config["MAX_PAGE_SIZE"]
        if not 1 <= value <= limit:
            raise ma.ValidationError(f"Must be between 1 and {limit}.")


class PageSchema(FastDumpSchema):
    """The envelope of a page of results."""

    page = ma.fields.Integer()
    page_size = ma.fields.Integer()
    total = ma.fields.Integer()
    pages = ma.fields.Integer()


class CursorField(ma.fields.String):
    """An opaque `next_cursor`: the (timestamp, id) the previous page ended on."""

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        try:
            stamp, _, ident = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode().partition("|")
            at = datetime.fromisoformat(stamp)
            if at.tzinfo is None:
                raise ValueError
            return at, uuid.UUID(ident)
        except (ValueError, UnicodeDecodeError):
            raise ma.ValidationError("Not a cursor from this API.") from None


def encode_keyset(at: datetime, ident: uuid.UUID) -> str:
    """The cursor CursorField reads back: where a page ended."""
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{ident}".encode()).decode().rstrip("=")


def cursor_page(items: list, limit: int, key) -> dict:
    """{items, next_cursor} from `limit` + 1 rows fetched; `key(item)` is the (timestamp, id) it is ordered by."""
    more, items = len(items) > limit, items[:limit]
    return {"items": items, "next_cursor": encode_keyset(*key(items[-1])) if more else None}
