"""Request and response shapes of /api/generations/{id}/comments."""

import marshmallow as ma

from gateway.community.rules import MAX_COMMENT_LENGTH, comment_problem, tidy_comment
from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.fields import Text
from gateway.platform.http import CursorField


class CommentArgs(ma.Schema):
    body = Text(
        required=True,
        validate=ma.validate.Length(max=MAX_COMMENT_LENGTH * 4),  # refuse a huge body before tidying it
        metadata={"description": f"1-{MAX_COMMENT_LENGTH} characters once trimmed; line breaks are kept"},
    )

    @ma.post_load
    def _tidy(self, data, **_):
        data["body"] = tidy_comment(data["body"])
        if problem := comment_problem(data["body"]):
            raise ma.ValidationError(problem, "body")
        return data


class CommentListArgs(ma.Schema):
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))
    cursor = CursorField(validate=ma.validate.Length(max=200), metadata={"description": "next_cursor of a page"})
    order = ma.fields.String(load_default="oldest", validate=ma.validate.OneOf(["oldest", "newest"]))


class AuthorSchema(FastDumpSchema):
    id = ma.fields.UUID()
    username = ma.fields.String()
    is_artist = ma.fields.Function(lambda user: "artist" in user.roles)
    links = ma.fields.Function(lambda user: {"profile": f"/api/users/{user.id}"})


class CommentSchema(FastDumpSchema):
    id = ma.fields.UUID()
    generation_id = ma.fields.UUID()
    author = ma.fields.Nested(AuthorSchema)
    body = ma.fields.String()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    edited = ma.fields.Function(lambda comment: comment.updated_at > comment.created_at)
    links = ma.fields.Function(
        lambda comment: {"self": f"/api/generations/{comment.generation_id}/comments/{comment.id}"}
    )


class CommentPageSchema(FastDumpSchema):
    items = ma.fields.List(ma.fields.Nested(CommentSchema))
    next_cursor = ma.fields.String(allow_none=True, metadata={"description": "Pass as ?cursor= for the next page"})
