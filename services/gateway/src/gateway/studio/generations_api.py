"""/api/generations: spend tokens on an image in a style, follow it, list yours, browse the public feed."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, current_principal, principal
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies
from gateway.platform.idempotency_api import IDEMPOTENCY_PARAMETER, idempotent
from gateway.studio import generations
from gateway.studio.generations_schemas import (
    FeedArgs,
    FeedSchema,
    GenerationCreateArgs,
    GenerationListArgs,
    GenerationPageSchema,
    GenerationSchema,
    encode_cursor,
)

blp = Blueprint(
    "generations", __name__, url_prefix="/api/generations", description="The style studio: images made in styles."
)
require_json_bodies(blp)


@blp.route("")
class Generations(MethodView):
    @authenticated(blp)
    @idempotent(blp)
    @blp.arguments(GenerationCreateArgs())
    @blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
    @blp.response(202, GenerationSchema, description="Paid for and queued (follow Location)")
    @blp.alt_response(402, description="Not enough tokens: nothing was spent or created")
    @blp.alt_response(404, description="No such style, or another artist's private one")
    @blp.alt_response(422, description="Bad tags, size or seed; or the style is not trained yet")
    def post(self, body):
        """Make an image in a style, paying its tokens

        The size's tokens (1:1 50, 2:2 75, 1:2 60) plus the style's price are
        spent in the same transaction that records the generation; they come back
        if it fails. The image carries an invisible signature naming the
        generation, the style and its artist (POST /api/signatures/verify).
        """
        generation = generations.create_generation(
            blp.deps.db.uow(),
            principal().user_id,
            body["style_id"],
            body["prompt_tags"],
            body["aspect_ratio"],
            body.get("seed"),
            body["public"],
        )
        return generation, 202, {"Location": f"/api/generations/{generation.id}"}


@blp.route("/me")
class MyGenerations(MethodView):
    @authenticated(blp)
    @blp.arguments(GenerationListArgs(), location="query")
    @blp.response(200, GenerationPageSchema)
    def get(self, args):
        """Your generations, newest first"""
        size = args["page_size"]
        items, total = generations.my_generations(
            blp.deps.db.uow(), blp.deps.store, principal().user_id, args["page"], size, args.get("status")
        )
        return {"items": items, "page": args["page"], "page_size": size, "total": total, "pages": -(-total // size)}


@blp.route("/feed")
class Feed(MethodView):
    @authenticated(blp, optional=True)
    @blp.arguments(FeedArgs(), location="query")
    @blp.response(200, FeedSchema)
    def get(self, args):
        """Public completed generations, newest first (cursor-paginated)

        Each says how many likes and comments it has and, when you are signed
        in, whether you liked it (`liked_by_me`).
        """
        limit, caller = args["limit"], current_principal()
        items = generations.feed(
            blp.deps.db.uow(),
            blp.deps.store,
            limit + 1,
            args.get("cursor"),
            args.get("style_id"),
            caller.user_id if caller else None,
            args.get("user_id"),
        )
        more = len(items) > limit
        items = items[:limit]
        return {"items": items, "next_cursor": encode_cursor(items[-1]) if more else None}


@blp.route("/<generation_id>")
class GenerationById(MethodView):
    @authenticated(blp, optional=True)
    @blp.response(200, GenerationSchema)
    @blp.alt_response(404, description="No such generation, or another user's that is private or unfinished")
    def get(self, generation_id: str):
        """A generation: status, progress and, once completed, its image URL"""
        caller = current_principal()
        return generations.get_generation(
            blp.deps.db.uow(), blp.deps.store, generation_id, caller.user_id if caller else None
        )
