"""/api/generations/{id}/like: like and unlike a completed public generation."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.community import likes
from gateway.community.likes_schemas import LikeSchema
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies

blp = Blueprint("likes", __name__, url_prefix="/api/generations", description="The studio's community: likes.")
require_json_bodies(blp)
HIDDEN = "No such generation, or another user's that is private or unfinished"
NOT_OPEN = "Your own generation, not completed yet or private: only completed public ones take likes"


@blp.route("/<generation_id>/like")
class Like(MethodView):
    @authenticated(blp)
    @blp.response(200, LikeSchema, description="Liked (liking again changes nothing)")
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(409, description=NOT_OPEN)
    def post(self, generation_id: str):
        """Like a generation (idempotent)

        The generation's owner is told (in-app, push, webhooks) of the first
        like by each user; an unlike and a like again tell nothing more, and
        your own likes never do.
        """
        return likes.like(blp.deps.db.uow(), principal().user_id, generation_id)

    @authenticated(blp)
    @blp.response(200, LikeSchema, description="Not liked (unliking again changes nothing)")
    @blp.alt_response(404, description=HIDDEN)
    @blp.alt_response(409, description=NOT_OPEN)
    def delete(self, generation_id: str):
        """Take your like back (idempotent)"""
        return likes.unlike(blp.deps.db.uow(), principal().user_id, generation_id)
