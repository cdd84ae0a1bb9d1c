"""Request and response shapes of /api/users/{id}: public profiles and follows."""

import marshmallow as ma

from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.http import CursorField


class ProfileSchema(FastDumpSchema):
    id = ma.fields.UUID()
    username = ma.fields.String()
    is_artist = ma.fields.Boolean(metadata={"description": "Has the artist role: publishes styles"})
    created_at = ma.fields.DateTime()
    follower_count = ma.fields.Integer()
    following_count = ma.fields.Integer()
    style_count = ma.fields.Integer(metadata={"description": "Public trained styles"})
    generation_count = ma.fields.Integer(metadata={"description": "Public completed generations"})
    followed_by_me = ma.fields.Boolean(allow_none=True, metadata={"description": "Null when not signed in"})
    links = ma.fields.Function(
        lambda profile: {
            "self": f"/api/users/{profile.id}",
            "follow": f"/api/users/{profile.id}/follow",
            "followers": f"/api/users/{profile.id}/followers",
            "following": f"/api/users/{profile.id}/following",
            "styles": f"/api/styles?artist_id={profile.id}",
            "generations": f"/api/generations/feed?user_id={profile.id}",
        }
    )


class FollowedProfileSchema(ProfileSchema):
    followed_at = ma.fields.DateTime(metadata={"description": "When this follow began"})


class FollowListArgs(ma.Schema):
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))
    cursor = CursorField(validate=ma.validate.Length(max=200), metadata={"description": "next_cursor of a page"})


class FollowPageSchema(FastDumpSchema):
    items = ma.fields.List(ma.fields.Nested(FollowedProfileSchema))
    next_cursor = ma.fields.String(allow_none=True, metadata={"description": "Pass as ?cursor= for the next page"})


class FollowSchema(FastDumpSchema):
    user_id = ma.fields.UUID()
    following = ma.fields.Boolean(metadata={"description": "Whether you follow them now"})
    follower_count = ma.fields.Integer(metadata={"description": "Their followers, you included"})
