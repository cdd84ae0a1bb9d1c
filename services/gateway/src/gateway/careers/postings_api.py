"""/api/job-postings: the job postings a job seeker aims at."""

import uuid

from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.careers import postings_service as postings
from gateway.careers.postings_schemas import PostingBody, PostingListArgs, PostingPageSchema, PostingSchema
from gateway.platform.blueprint import Blueprint
from gateway.platform.db import UnitOfWork
from gateway.platform.http import require_json_bodies

blp = Blueprint(
    "job_postings", __name__, url_prefix="/api/job-postings", description="Careers: the job postings you aim at."
)
require_json_bodies(blp)
MISSING = "No such job posting among yours (or it was deleted)"


def listed(uow: UnitOfWork, owner_id: uuid.UUID, args: dict) -> dict:
    """The list view's answer, before its schema: a page of the owner's postings in its envelope."""
    size = args["page_size"]
    items, total = postings.list_postings(uow, owner_id, args["page"], size, args.get("title"))
    return {"items": items, "page": args["page"], "page_size": size, "total": total, "pages": -(-total // size)}


@blp.route("")
class Postings(MethodView):
    @authenticated(blp)
    @blp.arguments(PostingBody())
    @blp.response(201, PostingSchema, headers={"Location": {"description": "The posting's URL"}})
    @blp.alt_response(415, description="The body is not application/json")
    @blp.alt_response(422, description="A field missing or too long, a URL that is not http(s)")
    def post(self, body):
        """Record a job posting: what it requires and prefers, until when"""
        posting = postings.create_posting(blp.deps.db.uow(), principal().user_id, body)
        return posting, 201, {"Location": f"/api/job-postings/{posting.id}"}

    @authenticated(blp)
    @blp.arguments(PostingListArgs(), location="query")
    @blp.response(200, PostingPageSchema)
    def get(self, args):
        """Your job postings, newest first, six a page unless asked (`title` finds those whose title holds it)"""
        return listed(blp.deps.db.uow(), principal().user_id, args)


@blp.route("/<id:posting_id>")
class PostingById(MethodView):
    @authenticated(blp)
    @blp.response(200, PostingSchema)
    @blp.alt_response(404, description=MISSING)
    def get(self, posting_id: str):
        """A job posting"""
        return postings.get_posting(blp.deps.db.uow(), principal().user_id, posting_id)

    @authenticated(blp)
    @blp.arguments(PostingBody())
    @blp.response(200, PostingSchema)
    @blp.alt_response(404, description=MISSING)
    @blp.alt_response(415, description="The body is not application/json")
    @blp.alt_response(422, description="A field missing or too long, a URL that is not http(s)")
    def put(self, body, posting_id: str):
        """Replace a job posting's fields"""
        return postings.replace_posting(blp.deps.db.uow(), principal().user_id, posting_id, body)

    @authenticated(blp)
    @blp.response(204)
    @blp.alt_response(404, description=MISSING)
    def delete(self, posting_id: str):
        """Delete a job posting: it leaves every read; feedback asked against it stays readable"""
        postings.delete_posting(blp.deps.db.uow(), principal().user_id, posting_id)

    @authenticated(blp)
    @blp.response(204)
    @blp.alt_response(404, description=MISSING)
    def patch(self, posting_id: str):
        """Delete a job posting, as the original's PATCH did (the same as DELETE; a body is ignored)"""
        postings.delete_posting(blp.deps.db.uow(), principal().user_id, posting_id)
