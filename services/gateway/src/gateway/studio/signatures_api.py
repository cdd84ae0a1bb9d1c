"""/api/signatures/verify: where an image came from, read from its invisible signature."""

import functools

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest import abort
from flask_smorest.fields import Upload

from gateway.platform.blueprint import Blueprint
from gateway.platform.uploads import MULTIPART, multipart_only
from gateway.studio import signatures
from shared import signature

blp = Blueprint("signatures", __name__, url_prefix="/api/signatures", description="The style studio: provenance.")


class VerifyForm(ma.Schema):
    """The image and no other part (another file is refused as unknown, a text field by `_only_the_image`)."""

    image = Upload(
        required=True,
        metadata={"description": "A PNG, JPEG or WebP image: at most 10 MiB and SIGNATURE_VERIFY_MAX_PIXELS pixels"},
    )


def _only_the_image(view):
    """422 for a text field beside the image, which the files location never sees."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if request.form:
            abort(422, messages={"form": {name: ["Unknown field."] for name in request.form}})
        return view(*args, **kwargs)

    return wrapper


class VerifiedSchema(ma.Schema):
    found = ma.fields.Boolean()
    detail = ma.fields.String(metadata={"description": "Why nothing was found"})
    generation_id = ma.fields.String()
    style_id = ma.fields.String(allow_none=True, metadata={"description": "null when the style is private or deleted"})
    style_name = ma.fields.String(
        allow_none=True, metadata={"description": "null when the style is private or deleted"}
    )
    artist_id = ma.fields.String()
    artist_username = ma.fields.String()
    signature_id = ma.fields.String()
    created_at = ma.fields.DateTime()


@blp.before_request
def _throttled_and_larger_bodies():
    """Counted per client IP before the body is read; then a body up to SIGNATURE_VERIFY_MAX_BYTES."""
    d = blp.deps
    d.throttle.signature_verify(request.remote_addr or "unknown")
    request.max_content_length = d.settings.signature_verify_max_bytes


@blp.route("/verify")
class Verify(MethodView):
    @multipart_only
    @_only_the_image
    @blp.arguments(VerifyForm(), location="files", content_type=MULTIPART, unknown=ma.RAISE)
    @blp.response(200, VerifiedSchema)
    @blp.alt_response(413, description="Larger than SIGNATURE_VERIFY_MAX_BYTES")
    @blp.alt_response(415, description="Not multipart/form-data")
    @blp.alt_response(422, description="No `image` file, another part, or not a PNG, JPEG or WebP image in budget")
    @blp.alt_response(429, description="Too many verifications from this address (see Retry-After)")
    def post(self, files):
        """Which generation, style and artist an image came from

        Reads the invisible signature every generated image carries (it survives
        JPEG re-encoding and mild resizing). `found: false` when there is none.
        """
        d = blp.deps
        key = d.settings.signature_key.encode() or signature.DEFAULT_KEY
        return signatures.verify_image(d.db.uow(), files["image"].read(), key, d.settings.signature_verify_max_pixels)
