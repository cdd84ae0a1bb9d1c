"""Request and response shapes of /api/search."""

import base64
import json
import math
import uuid

import marshmallow as ma

from gateway.community.profiles_schemas import ProfileSchema
from gateway.community.rules import MAX_QUERY_LENGTH, MIN_QUERY_LENGTH, normalise_query
from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.fields import Line
from gateway.platform.jsoncodec import decode
from gateway.studio.styles_schemas import StyleSchema

TYPES = ("all", "styles", "artists")
MAX_LIMIT = 50


class SearchCursorField(ma.fields.String):
    """An opaque `next_cursor`: the type, score and id the previous page ended on."""

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        try:
            kind, score, ident = decode(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))  # bounded depth
            if kind not in TYPES[1:] or type(score) is not float or not math.isfinite(score):
                raise ValueError
            return kind, score, uuid.UUID(ident)
        except (ValueError, TypeError, UnicodeDecodeError):
            raise ma.ValidationError("Not a cursor from this API.") from None


def encode_search_cursor(kind: str, score: float, ident: uuid.UUID) -> str:
    raw = json.dumps([kind, float(score), str(ident)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class SearchArgs(ma.Schema):
    q = Line(
        required=True,
        validate=ma.validate.Length(max=MAX_QUERY_LENGTH * 4),
        metadata={"description": f"{MIN_QUERY_LENGTH}-{MAX_QUERY_LENGTH} characters once trimmed; Korean or English"},
    )
    type = ma.fields.String(load_default="all", validate=ma.validate.OneOf(TYPES))
    limit = ma.fields.Integer(
        load_default=20,
        validate=ma.validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"Results per type, at most {MAX_LIMIT}"},
    )
    cursor = SearchCursorField(
        validate=ma.validate.Length(max=300),
        metadata={"description": "A section's next_cursor, with that section's type (styles or artists)"},
    )

    @ma.post_load
    def _tidy(self, data, **_):
        data["q"] = normalise_query(data["q"])
        if not MIN_QUERY_LENGTH <= len(data["q"]) <= MAX_QUERY_LENGTH:
            raise ma.ValidationError(f"Must be {MIN_QUERY_LENGTH}-{MAX_QUERY_LENGTH} characters once trimmed.", "q")
        cursor = data.get("cursor")
        if cursor is not None and cursor[0] != data["type"]:
            raise ma.ValidationError(f"This cursor continues type={cursor[0]}: pass that type with it.", "cursor")
        return data


class StyleHitSchema(StyleSchema):
    score = ma.fields.Float(attribute="search_score", metadata={"description": "Higher is better"})


class ArtistHitSchema(ProfileSchema):
    score = ma.fields.Float(metadata={"description": "Higher is better"})


class StyleSectionSchema(FastDumpSchema):
    items = ma.fields.List(ma.fields.Nested(StyleHitSchema))
    next_cursor = ma.fields.String(allow_none=True, metadata={"description": "Pass with type=styles for more"})


class ArtistSectionSchema(FastDumpSchema):
    items = ma.fields.List(ma.fields.Nested(ArtistHitSchema))
    next_cursor = ma.fields.String(allow_none=True, metadata={"description": "Pass with type=artists for more"})


class SearchSchema(FastDumpSchema):
    q = ma.fields.String(metadata={"description": "The query as matched: trimmed, spaces collapsed, lower-cased"})
    type = ma.fields.String(metadata={"enum": list(TYPES)})
    styles = ma.fields.Nested(StyleSectionSchema, allow_none=True, metadata={"description": "Null for type=artists"})
    artists = ma.fields.Nested(ArtistSectionSchema, allow_none=True, metadata={"description": "Null for type=styles"})
