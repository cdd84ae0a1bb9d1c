"""Request and response shapes of /api/styles."""

import marshmallow as ma
from flask_smorest.fields import Upload

from gateway.fastpaths.dump import FastDumpSchema, dumper
from gateway.platform.fields import Line, Text
from gateway.platform.http import PageArgs, PageSchema
from gateway.studio.models import STUDIO_STATUSES, VISIBILITIES
from gateway.studio.rules import (
    MAX_IMAGES,
    MAX_PRICE,
    MAX_STYLE_TAGS,
    MAX_TAG_LENGTH,
    MIN_IMAGES,
    PREVIEW_IMAGES,
    style_tags,
)

NAME = ma.validate.Length(min=1, max=100)
DESCRIPTION = ma.validate.Length(max=2000)
PRICE = ma.validate.Range(min=0, max=MAX_PRICE)


def _checked_tags(values: list[str]) -> list[str]:
    tags = style_tags(values)
    if len(tags) > MAX_STYLE_TAGS:
        raise ma.ValidationError(f"At most {MAX_STYLE_TAGS} tags.", "tags")
    too_long = [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]
    if too_long:
        raise ma.ValidationError(f"Tags have at most {MAX_TAG_LENGTH} characters ('{too_long[0][:60]}').", "tags")
    return tags


class StyleCreateForm(ma.Schema):
    """multipart/form-data: the style's fields and its training images."""

    name = Line(required=True, validate=NAME)
    description = Text(load_default="", validate=DESCRIPTION)
    tags = ma.fields.List(
        Line(),
        load_default=list,
        metadata={"description": f"Repeated, or comma-separated; at most {MAX_STYLE_TAGS} of 1-{MAX_TAG_LENGTH} chars"},
    )
    price_per_generation = ma.fields.Integer(
        required=True,
        validate=PRICE,
        metadata={"description": "Tokens a generation pays the style, on top of its size"},
    )
    visibility = ma.fields.String(load_default="public", validate=ma.validate.OneOf(VISIBILITIES))
    images = ma.fields.List(
        Upload(),
        metadata={
            "description": f"{MIN_IMAGES}-{MAX_IMAGES} PNG, JPEG or WebP files (recognised by decoding them), each at "
            "most STYLE_IMAGE_MAX_BYTES (10 MiB) and STYLE_IMAGE_MIN_SIDE..STYLE_IMAGE_MAX_SIDE (256..4096) px a side; "
            "the whole request at most STYLE_UPLOAD_MAX_BYTES (256 MiB). Each is stored as a copy encoded again from "
            "its decoded pixels, turned upright by its EXIF orientation: bytes after the image and metadata (EXIF, "
            "ICC, XMP, text, comments) are not kept"
        },
    )

    @ma.post_load
    def _tidy(self, data, **_):
        data.pop("images", None)  # the files are read from the request's files, not from its fields
        data["tags"] = _checked_tags(data["tags"])
        data["name"] = data["name"].strip()
        if not data["name"]:
            raise ma.ValidationError("Must not be blank.", "name")
        return data


class StyleUpdateArgs(ma.Schema):
    """Any of the fields an artist may change."""

    name = Line(validate=NAME)
    description = Text(validate=DESCRIPTION)
    tags = ma.fields.List(Line(validate=ma.validate.Length(max=MAX_TAG_LENGTH * MAX_STYLE_TAGS)))
    price_per_generation = ma.fields.Integer(strict=True, validate=PRICE)
    visibility = ma.fields.String(validate=ma.validate.OneOf(VISIBILITIES))

    @ma.post_load
    def _tidy(self, data, **_):
        if not data:
            raise ma.ValidationError("Send at least one field to change.", "_schema")
        if "tags" in data:
            data["tags"] = _checked_tags(data["tags"])
        if "name" in data and not data["name"].strip():
            raise ma.ValidationError("Must not be blank.", "name")
        return data


class StyleListArgs(PageArgs):
    tag = Line(validate=ma.validate.Length(min=1, max=MAX_TAG_LENGTH))
    artist_id = ma.fields.UUID()
    sort = ma.fields.String(load_default="new", validate=ma.validate.OneOf(["new", "popular"]))


class MyStyleArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(STUDIO_STATUSES))


class UserRefSchema(FastDumpSchema):
    id = ma.fields.UUID()
    username = ma.fields.String()


class TrainingProgressSchema(FastDumpSchema):
    percent = ma.fields.Integer(attribute="progress_percent")
    current_epoch = ma.fields.Integer()
    total_epochs = ma.fields.Integer()
    estimated_seconds = ma.fields.Integer(allow_none=True)


TRAINING_PROGRESS = dumper(TrainingProgressSchema())  # one compiled dump, not a schema per style


def _links(ident: str) -> dict:
    return {"self": f"/api/styles/{ident}", "feed": f"/api/generations/feed?style_id={ident}"}


class StyleSchema(FastDumpSchema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    description = ma.fields.String()
    tags = ma.fields.List(ma.fields.String())
    price_per_generation = ma.fields.Integer()
    visibility = ma.fields.String(metadata={"enum": list(VISIBILITIES)})
    status = ma.fields.String(metadata={"enum": list(STUDIO_STATUSES), "description": "completed = trained"})
    progress = ma.fields.Function(TRAINING_PROGRESS)
    training_metric = ma.fields.Dict(allow_none=True, metadata={"description": "{loss, epochs} once trained"})
    error = ma.fields.String(allow_none=True)
    error_code = ma.fields.String(allow_none=True)
    artist = ma.fields.Nested(UserRefSchema)
    image_count = ma.fields.Integer(metadata={"description": "Training images"})
    preview_urls = ma.fields.Raw(  # computed by the service (gateway.studio.media.preview_urls): a dump reads no store
        dump_only=True,
        metadata={
            "description": f"The first {PREVIEW_IMAGES} training images. A trained public style's are public; any "
            "other style's (private or untrained: only its artist sees it) are signed URLs that expire within an hour "
            "(`X-Amz-Date`, `X-Amz-Expires`, `X-Amz-Signature`, as S3's presigned URLs, which every URL is with S3): "
            "read the style again for fresh ones. The other training images are never served"
        },
    )
    generation_count = ma.fields.Integer()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    completed_at = ma.fields.DateTime(allow_none=True)
    failed_at = ma.fields.DateTime(allow_none=True)
    links = ma.fields.Function(lambda style: _links(str(style.id)))


class StylePageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(StyleSchema))
