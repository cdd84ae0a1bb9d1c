"""/api/jobs: submit a job, read one, list them."""

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.api.common import require_json_bodies
from gateway.api.jobs.schemas import JobAcceptedSchema, JobCreateSchema, JobListArgs, JobPageSchema, JobSchema
from gateway.app import deps
from gateway.services import jobs

blp = Blueprint(
    "jobs", __name__, url_prefix="/api/jobs", description="Asynchronous GPT jobs: a summary, then a checklist."
)
require_json_bodies(blp)
LOCATION_HEADER = {"description": "The job's URL", "schema": {"type": "string"}}


@blp.route("")
class Jobs(MethodView):
    @blp.arguments(JobCreateSchema())  # an instance: webargs would build one per request from a class
    @blp.response(202, JobAcceptedSchema, headers={"Location": LOCATION_HEADER})
    @blp.alt_response(400, description="The body is not valid JSON")
    @blp.alt_response(413, description="The body is larger than MAX_BODY_BYTES")
    @blp.alt_response(415, description="The body is not application/json")
    def post(self, body):
        """Submit a job

        Answers at once with the job `queued`; poll its `Location` to follow it.
        """
        job = jobs.submit_job(deps().db.uow(), body["text"])
        return job, 202, {"Location": f"/api/jobs/{job.id}"}

    @blp.arguments(JobListArgs(), location="query")
    @blp.response(200, JobPageSchema)
    def get(self, args):
        """List jobs, newest first"""
        items, total = jobs.list_jobs(deps().db.uow(), args["page"], args["page_size"], args.get("status"))
        pages = -(-total // args["page_size"])
        return {"items": items, "page": args["page"], "page_size": args["page_size"], "total": total, "pages": pages}


@blp.route("/<event_id>")
class JobById(MethodView):
    @blp.response(200, JobSchema)
    @blp.alt_response(404, description="No such job")
    def get(self, event_id: str):
        """Read a job: its status, its steps and, once completed, its result"""
        return jobs.get_job(deps().db.uow(), event_id)
