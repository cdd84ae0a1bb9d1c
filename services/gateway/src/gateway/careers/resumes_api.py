"""/api/resumes: a job seeker's structured résumés, their sections and photo."""

import uuid

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_smorest.fields import Upload as UploadField

from gateway.accounts.guard import authenticated, principal
from gateway.careers import photos, rules
from gateway.careers import resumes_service as resumes
from gateway.careers.resumes_schemas import ResumeBody, ResumeListArgs, ResumePageSchema, ResumeSchema
from gateway.platform.blueprint import Blueprint
from gateway.platform.db import UnitOfWork
from gateway.platform.http import JSON_TYPES
from gateway.platform.problems import problem
from gateway.platform.uploads import MULTIPART, multipart_only

blp = Blueprint("resumes", __name__, url_prefix="/api/resumes", description="Careers: structured résumés.")
MULTIPART_SLACK = 64 * 1024  # the form's boundaries and headers around the photo


class PhotoForm(ma.Schema):
    photo = UploadField(
        required=True,
        metadata={
            "description": f"A PNG or JPEG (recognised by decoding it), at most {rules.PHOTO_MAX_BYTES:,} bytes and "
            f"{rules.PHOTO_MIN_SIDE}..{rules.PHOTO_MAX_SIDE} px a side. A clean copy is stored: its pixels encoded "
            "again, upright, without metadata"
        },
    )


@blp.before_request
def _bodies():
    """The photo is multipart and may exceed MAX_BODY_BYTES; every other body is JSON."""
    if request.endpoint == "resumes.ResumePhoto":
        request.max_content_length = rules.PHOTO_MAX_BYTES + MULTIPART_SLACK
        return None
    has_body = request.method in ("POST", "PUT", "PATCH") and (request.content_length or request.data)
    if has_body and not (request.mimetype in JSON_TYPES or request.mimetype.endswith("+json")):
        return problem(415, f"Send the body as application/json (got '{request.mimetype or 'none'}').")
    return None


def listed(uow: UnitOfWork, owner_id: uuid.UUID, args: dict) -> dict:
    """The list view's answer, before its schema: a page of the owner's résumés in its envelope."""
    size = args["page_size"]
    items, total = resumes.list_resumes(uow, owner_id, args["page"], size, args.get("title"))
    return {"items": items, "page": args["page"], "page_size": size, "total": total, "pages": -(-total // size)}


@blp.route("")
class Resumes(MethodView):
    @authenticated(blp)
    @blp.arguments(ResumeBody())
    @blp.response(201, ResumeSchema, headers={"Location": {"description": "The résumé's URL"}})
    @blp.alt_response(415, description="The body is not application/json")
    @blp.alt_response(422, description="A field too long, an unknown code, an end date before its start date")
    def post(self, body):
        """Write a résumé: its fields and its six sections in one go

        Every item of every section gets an id of its own. `resume_type`,
        `gender`, `military_service` and `degree_level` take the codes of
        GET /api/codes.
        """
        d = blp.deps
        resume = resumes.create_resume(d.db.uow(), d.store, principal().user_id, body)
        return resume, 201, {"Location": f"/api/resumes/{resume['id']}"}

    @authenticated(blp)
    @blp.arguments(ResumeListArgs(), location="query")
    @blp.response(200, ResumePageSchema)
    def get(self, args):
        """Your résumés, newest first (`title` finds those whose title holds it, in any case)"""
        return listed(blp.deps.db.uow(), principal().user_id, args)


@blp.route("/<id:resume_id>")
class ResumeById(MethodView):
    @authenticated(blp)
    @blp.response(200, ResumeSchema)
    @blp.alt_response(404, description="No such résumé among yours (or it was deleted)")
    def get(self, resume_id: str):
        """A résumé with every section"""
        return resumes.get_resume(blp.deps.db.uow(), blp.deps.store, principal().user_id, resume_id)

    @authenticated(blp)
    @blp.arguments(ResumeBody())
    @blp.response(200, ResumeSchema)
    @blp.alt_response(404, description="No such résumé among yours (or it was deleted)")
    @blp.alt_response(415, description="The body is not application/json")
    @blp.alt_response(422, description="A field too long, an unknown code, an end date before its start date")
    def put(self, body, resume_id: str):
        """Replace a résumé whole: its fields and every section, in one transaction (the photo stays)"""
        d = blp.deps
        return resumes.replace_resume(d.db.uow(), d.store, principal().user_id, resume_id, body)

    @authenticated(blp)
    @blp.response(204)
    @blp.alt_response(404, description="No such résumé among yours (or it was deleted)")
    def delete(self, resume_id: str):
        """Delete a résumé: it leaves every read; the AI feedback on it stays readable"""
        resumes.delete_resume(blp.deps.db.uow(), principal().user_id, resume_id)

    @authenticated(blp)
    @blp.response(204)
    @blp.alt_response(404, description="No such résumé among yours (or it was deleted)")
    def patch(self, resume_id: str):
        """Delete a résumé, as the original's PATCH did (the same as DELETE; a body is ignored)"""
        resumes.delete_resume(blp.deps.db.uow(), principal().user_id, resume_id)


@blp.route("/<id:resume_id>/photo")
class ResumePhoto(MethodView):
    @authenticated(blp)
    @multipart_only
    @blp.arguments(PhotoForm(), location="files", content_type=MULTIPART)
    @blp.response(200, ResumeSchema)
    @blp.alt_response(404, description="No such résumé among yours (or it was deleted)")
    @blp.alt_response(413, description="The request is larger than the photo's limit")
    @blp.alt_response(415, description="Not multipart/form-data")
    @blp.alt_response(422, description="No photo, or not a PNG or JPEG that decodes, or too large or small")
    def post(self, form, resume_id: str):
        """Give a résumé its photo (replacing any earlier one); the résumé shows it by signed URL"""
        d = blp.deps
        upload = photos.Upload(form["photo"].filename or "", form["photo"].stream)
        return resumes.set_photo(d.db.uow(), d.store, principal().user_id, resume_id, upload)
