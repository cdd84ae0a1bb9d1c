"""Helpers every API area uses: JSON-only bodies, pagination arguments."""

import marshmallow as ma
from flask import current_app, request
from flask_smorest import Blueprint

from gateway.errors import problem

JSON_TYPES = ("application/json",)


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
    page_size = ma.fields.Integer(load_default=20, metadata={"description": "At most 100 (MAX_PAGE_SIZE)."})

    @ma.validates("page_size")
    def _page_size(self, value: int, **_):
        limit = current_app.config["MAX_PAGE_SIZE"]
        if not 1 <= value <= limit:
            raise ma.ValidationError(f"Must be between 1 and {limit}.")


class PageSchema(ma.Schema):
    """The envelope of a page of results."""

    page = ma.fields.Integer()
    page_size = ma.fields.Integer()
    total = ma.fields.Integer()
    pages = ma.fields.Integer()
