"""/api/styles: artists publish styles for training; everyone browses the trained ones."""

from flask import request
from flask.views import MethodView

from gateway.accounts.guard import authenticated, current_principal, principal
from gateway.platform.blueprint import Blueprint
from gateway.platform.problems import problem
from gateway.platform.uploads import MULTIPART, multipart_only
from gateway.studio import styles
from gateway.studio.styles_schemas import (
    MyStyleArgs,
    StyleCreateForm,
    StyleListArgs,
    StylePageSchema,
    StyleSchema,
    StyleUpdateArgs,
)
from gateway.studio.uploads import ImageRules, Upload

blp = Blueprint("styles", __name__, url_prefix="/api/styles", description="The style studio: artists' styles.")


@blp.before_request
def _bodies():
    """A style upload may be far larger than MAX_BODY_BYTES; every other body is JSON."""
    if request.endpoint == "styles.Styles" and request.method == "POST":
        request.max_content_length = blp.deps.settings.style_upload_max_bytes
    elif request.method == "PATCH" and request.content_length and not request.is_json:
        return problem(415, f"Send the body as application/json (got '{request.mimetype or 'none'}').")
    return None


def _page(items, total: int, args: dict) -> dict:
    size = args["page_size"]
    return {"items": items, "page": args["page"], "page_size": size, "total": total, "pages": -(-total // size)}


@blp.route("")
class Styles(MethodView):
    @authenticated(blp, role="artist")
    @multipart_only
    @blp.arguments(StyleCreateForm(), location="form", content_type=MULTIPART)
    @blp.response(202, StyleSchema, description="Stored and queued for training (follow Location)")
    @blp.alt_response(403, description="Only artists publish styles (POST /api/users/me/upgrade-to-artist)")
    @blp.alt_response(413, description="The request is larger than STYLE_UPLOAD_MAX_BYTES")
    @blp.alt_response(415, description="Not multipart/form-data")
    @blp.alt_response(422, description="A field, or an image (not an image, too small or large, too few or many)")
    def post(self, form):
        """Publish a style: its fields and 10-100 training images

        Every image is checked by decoding it (PNG, JPEG or WebP) before any is
        stored; a refused upload stores nothing. Answers 202 with the style
        `queued`; it becomes `processing`, then `completed` (trained) or `failed`.
        """
        d = blp.deps
        uploads = [Upload(f.filename or "", f.stream) for f in request.files.getlist("images")]
        rules = ImageRules(
            d.settings.style_image_max_bytes, d.settings.style_image_min_side, d.settings.style_image_max_side
        )
        draft = styles.StyleDraft(**form)
        style = styles.create_style(
            d.db.uow(), d.store, principal().user_id, draft, uploads, rules, d.settings.style_training_epochs
        )
        return style, 202, {"Location": f"/api/styles/{style.id}"}

    @blp.arguments(StyleListArgs(), location="query")
    @blp.response(200, StylePageSchema)
    def get(self, args):
        """Trained public styles (filter by tag or artist; sort new or popular)"""
        items, total = styles.list_styles(
            blp.deps.db.uow(),
            blp.deps.store,
            args["page"],
            args["page_size"],
            args["sort"],
            args.get("tag"),
            args.get("artist_id"),
        )
        return _page(items, total, args)


@blp.route("/me")
class MyStyles(MethodView):
    @authenticated(blp)
    @blp.arguments(MyStyleArgs(), location="query")
    @blp.response(200, StylePageSchema)
    def get(self, args):
        """Your styles in every status, newest first"""
        items, total = styles.my_styles(
            blp.deps.db.uow(), blp.deps.store, principal().user_id, args["page"], args["page_size"], args.get("status")
        )
        return _page(items, total, args)


@blp.route("/<id:style_id>")
class StyleById(MethodView):
    @authenticated(blp, optional=True)
    @blp.response(200, StyleSchema)
    @blp.alt_response(404, description="No such style, or one you may not see (untrained, private or deleted)")
    def get(self, style_id: str):
        """A style: trained and public, or your own in any status"""
        caller = current_principal()
        return styles.get_style(blp.deps.db.uow(), blp.deps.store, style_id, caller.user_id if caller else None)

    @authenticated(blp)
    @blp.arguments(StyleUpdateArgs())
    @blp.response(200, StyleSchema)
    @blp.alt_response(404, description="No such style among yours")
    def patch(self, changes, style_id: str):
        """Change your style's name, description, tags, price or visibility"""
        return styles.update_style(blp.deps.db.uow(), blp.deps.store, principal().user_id, style_id, changes)

    @authenticated(blp)
    @blp.response(204)
    @blp.alt_response(404, description="No such style among yours")
    def delete(self, style_id: str):
        """Delete your style: it disappears from listings and takes no new generations"""
        styles.delete_style(blp.deps.db.uow(), principal().user_id, style_id)
