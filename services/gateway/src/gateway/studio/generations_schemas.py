"""Request and response shapes of /api/generations."""

import marshmallow as ma

from gateway.fastpaths.dump import FastDumpSchema, dumper
from gateway.platform.fields import Flag, Line
from gateway.platform.http import CursorField, PageArgs, PageSchema, encode_keyset
from gateway.studio.models import STUDIO_STATUSES
from gateway.studio.rules import ASPECT_RATIO_COSTS, MAX_PROMPT_TAGS, MAX_SEED, MAX_TAG_LENGTH
from gateway.studio.styles_schemas import UserRefSchema

COSTS = ", ".join(f"{ratio}: {cost}" for ratio, cost in ASPECT_RATIO_COSTS.items())


class GenerationCreateArgs(ma.Schema):
    style_id = ma.fields.UUID(required=True)
    prompt_tags = ma.fields.List(
        Line(validate=ma.validate.Length(min=1, max=MAX_TAG_LENGTH)),
        required=True,
        validate=ma.validate.Length(min=1, max=MAX_PROMPT_TAGS),
        metadata={"example": ["sunset", "harbour", "boats"]},
    )
    aspect_ratio = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf(list(ASPECT_RATIO_COSTS)),
        metadata={"description": f"Tokens by size ({COSTS}), plus the style's price_per_generation"},
    )
    seed = ma.fields.Integer(
        strict=True,
        validate=ma.validate.Range(min=0, max=MAX_SEED),
        metadata={"description": "The same seed, style and tags give the same image; random when absent"},
    )
    public = Flag(load_default=True, metadata={"description": "Shown in the public feed once done"})

    @ma.post_load
    def _tidy(self, data, **_):
        tags = [" ".join(tag.split()) for tag in data["prompt_tags"]]
        if not all(tags):
            raise ma.ValidationError("Tags must not be blank.", "prompt_tags")
        data["prompt_tags"] = tags
        return data


class GenerationListArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(STUDIO_STATUSES))


def encode_cursor(generation) -> str:
    """The feed's cursor: the (completed_at, id) a page ended on."""
    return encode_keyset(generation.completed_at, generation.id)


class FeedArgs(ma.Schema):
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))
    cursor = CursorField(validate=ma.validate.Length(max=200), metadata={"description": "next_cursor of a page"})
    style_id = ma.fields.UUID(
        metadata={"description": "Only images in this style (none for a private style, but to its artist)"}
    )
    user_id = ma.fields.UUID(metadata={"description": "Only images this user made (a profile's images)"})


class ProgressSchema(FastDumpSchema):
    percent = ma.fields.Integer(attribute="progress_percent")
    current_step = ma.fields.Integer()
    total_steps = ma.fields.Integer(allow_none=True)
    estimated_seconds = ma.fields.Integer(allow_none=True)


PROGRESS = dumper(ProgressSchema())  # one compiled dump: a schema per item cost a fifth of a feed page's time


class StyleRefSchema(FastDumpSchema):
    id = ma.fields.UUID()
    name = ma.fields.String()


def _links(own: str) -> dict:
    return {"self": own, "like": f"{own}/like", "comments": f"{own}/comments"}


class GenerationSchema(FastDumpSchema):
    id = ma.fields.UUID()
    status = ma.fields.String(metadata={"enum": list(STUDIO_STATUSES)})
    progress = ma.fields.Function(PROGRESS)
    style = ma.fields.Nested(
        StyleRefSchema,
        allow_none=True,
        metadata={
            "description": "Null when the style is private and not yours: a private style's id and name stay "
            "its artist's"
        },
    )
    artist = ma.fields.Nested(UserRefSchema)
    user = ma.fields.Nested(UserRefSchema, metadata={"description": "Who made it"})
    prompt_tags = ma.fields.List(ma.fields.String())
    aspect_ratio = ma.fields.String()
    seed = ma.fields.Integer()
    cost = ma.fields.Integer(metadata={"description": "Tokens spent (refunded if it failed)"})
    public = ma.fields.Boolean(attribute="is_public")
    like_count = ma.fields.Integer()
    comment_count = ma.fields.Integer()
    liked_by_me = ma.fields.Boolean(allow_none=True, metadata={"description": "Null when not signed in"})
    image_url = ma.fields.Raw(  # computed by the service (gateway.studio.media.image_url): a dump reads no store
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "Null until completed. A private image's URL is signed and expires within an hour "
            "(`X-Amz-Date`, `X-Amz-Expires`, `X-Amz-Signature`, as S3's presigned URLs, which every URL is with S3): "
            "read the generation again for a fresh one. A public image's URL from the local store does not expire"
        },
    )
    signature_id = ma.fields.String(metadata={"description": "The id hidden in the image (a 63-bit integer)"})
    metadata = ma.fields.Dict(attribute="result_metadata", allow_none=True)
    error = ma.fields.String(allow_none=True)
    error_code = ma.fields.String(allow_none=True)
    created_at = ma.fields.DateTime()
    started_at = ma.fields.DateTime(allow_none=True)
    completed_at = ma.fields.DateTime(allow_none=True)
    failed_at = ma.fields.DateTime(allow_none=True)
    links = ma.fields.Function(lambda generation: _links(f"/api/generations/{generation.id}"))


class GenerationPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(GenerationSchema))


class FeedSchema(FastDumpSchema):
    items = ma.fields.List(ma.fields.Nested(GenerationSchema))
    next_cursor = ma.fields.String(allow_none=True, metadata={"description": "Pass as ?cursor= for the next page"})
