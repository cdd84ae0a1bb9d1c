"""/api/generations/{id}/comments: comment on completed public generations, read, edit and delete them."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, current_principal, principal
from gateway.community import comments
from gateway.community.comments_schemas import CommentArgs, CommentListArgs, CommentPageSchema, CommentSchema
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import cursor_page, require_json_bodies

blp = Blueprint("comments", __name__, url_prefix="/api/generations", description="The studio's community: comments.")
require_json_bodies(blp)
HIDDEN = "No such generation, or another user's that is private or unfinished"


def _viewer():
    caller = current_principal()
    return caller.user_id if caller else None


@blp.route("/<generation_id>/comments")
class Comments(MethodView):
    @authenticated(blp, optional=True)
    @blp.arguments(CommentListArgs(), location="query")
    @blp.response(200, CommentPageSchema)
    @blp.alt_response(404, description=HIDDEN)
    def get(self, args, generation_id: str):
        """The comments on a generation, oldest first (or ?order=newest), cursor-paginated"""
        limit = args["limit"]
        found = comments.list_comments(
            blp.deps.db.uow(), generation_id, _viewer(), limit + 1, args.get("cursor"), args["order"]
        )
        return cursor_page(found, limit, lambda comment: (comment.created_at, comment.id))

    @authenticated(blp)
    @blp.arguments(CommentArgs())
    @blp.response(201, CommentSchema)
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(409, description="Your own generation, not completed yet or private")
    @blp.alt_response(422, description="Blank, over 1,000 characters, control characters, or unknown fields")
    def post(self, body, generation_id: str):
        """Comment on a completed public generation; its owner is told (unless it is yours)"""
        comment = comments.add_comment(blp.deps.db.uow(), principal().user_id, generation_id, body["body"])
        return comment, 201, {"Location": f"/api/generations/{comment.generation_id}/comments/{comment.id}"}


@blp.route("/<generation_id>/comments/<comment_id>")
class CommentById(MethodView):
    @authenticated(blp, optional=True)
    @blp.response(200, CommentSchema)
    @blp.alt_response(404, description="No such comment on a generation you may see")
    def get(self, generation_id: str, comment_id: str):
        """One comment"""
        return comments.get_comment(blp.deps.db.uow(), generation_id, comment_id, _viewer())

    @authenticated(blp)
    @blp.arguments(CommentArgs())
    @blp.response(200, CommentSchema)
    @blp.alt_response(404, description="No such comment among yours (only its author edits a comment)")
    @blp.alt_response(422, description="Blank, over 1,000 characters, control characters, or unknown fields")
    def patch(self, body, generation_id: str, comment_id: str):
        """Edit your comment"""
        return comments.edit_comment(blp.deps.db.uow(), principal().user_id, generation_id, comment_id, body["body"])

    @authenticated(blp)
    @blp.response(204)
    @blp.alt_response(404, description="No such comment that you wrote, or on your generation")
    def delete(self, generation_id: str, comment_id: str):
        """Delete a comment you wrote, or one on your generation (for good)"""
        comments.delete_comment(blp.deps.db.uow(), principal().user_id, generation_id, comment_id)
