"""/api/users/{id}: public profiles, follows, followers and followings."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, current_principal, principal
from gateway.community import follows, profiles
from gateway.community.profiles_schemas import FollowListArgs, FollowPageSchema, FollowSchema, ProfileSchema
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import cursor_page, require_json_bodies

blp = Blueprint(
    "profiles", __name__, url_prefix="/api/users", description="The studio's community: profiles and follows."
)
require_json_bodies(blp)
UNKNOWN = "No user with this id (or not a user id)"


def _viewer():
    caller = current_principal()
    return caller.user_id if caller else None


@blp.route("/<id:user_id>")
class Profile(MethodView):
    @authenticated(blp, optional=True)
    @blp.response(200, ProfileSchema)
    @blp.alt_response(404, description=UNKNOWN)
    def get(self, user_id: str):
        """A user's public profile, with counts and, signed in, whether you follow them"""
        return profiles.get_profile(blp.deps.db.uow(), user_id, _viewer())


@blp.route("/<id:user_id>/follow")
class Follow(MethodView):
    @authenticated(blp)
    @blp.response(200, FollowSchema, description="Followed (following again changes nothing)")
    @blp.alt_response(404, description=UNKNOWN)
    @blp.alt_response(422, description="You cannot follow yourself")
    def post(self, user_id: str):
        """Follow a user (idempotent); they are told of a new follower once"""
        return follows.follow(blp.deps.db.uow(), principal().user_id, user_id)

    @authenticated(blp)
    @blp.response(200, FollowSchema, description="Not followed (unfollowing again changes nothing)")
    @blp.alt_response(404, description=UNKNOWN)
    @blp.alt_response(422, description="You cannot follow (or unfollow) yourself")
    def delete(self, user_id: str):
        """Stop following a user (idempotent)"""
        return follows.unfollow(blp.deps.db.uow(), principal().user_id, user_id)


@blp.route("/<id:user_id>/followers")
class Followers(MethodView):
    @authenticated(blp, optional=True)
    @blp.arguments(FollowListArgs(), location="query")
    @blp.response(200, FollowPageSchema)
    @blp.alt_response(404, description=UNKNOWN)
    def get(self, args, user_id: str):
        """Who follows the user, most recent first (cursor-paginated)"""
        found = profiles.followers(blp.deps.db.uow(), user_id, _viewer(), args["limit"] + 1, args.get("cursor"))
        return cursor_page(found, args["limit"], lambda profile: (profile.followed_at, profile.id))


@blp.route("/<id:user_id>/following")
class Following(MethodView):
    @authenticated(blp, optional=True)
    @blp.arguments(FollowListArgs(), location="query")
    @blp.response(200, FollowPageSchema)
    @blp.alt_response(404, description=UNKNOWN)
    def get(self, args, user_id: str):
        """Whom the user follows, most recent first (cursor-paginated)"""
        found = profiles.following(blp.deps.db.uow(), user_id, _viewer(), args["limit"] + 1, args.get("cursor"))
        return cursor_page(found, args["limit"], lambda profile: (profile.followed_at, profile.id))
