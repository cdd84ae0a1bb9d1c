"""/api/jobs: submit a job, read one, list them."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, current_principal, principal
from gateway.jobs import service as jobs
from gateway.jobs.schemas import JobAcceptedSchema, JobCreateSchema, JobListArgs, JobPageSchema, JobSchema
from gateway.jobs.submission import job_owner
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies

blp = Blueprint(
    "jobs", __name__, url_prefix="/api/jobs", description="Asynchronous GPT jobs: a summary, then a checklist."
)
require_json_bodies(blp)
LOCATION_HEADER = {"description": "The job's URL", "schema": {"type": "string"}}


@blp.route("")
class Jobs(MethodView):
    @authenticated(blp, optional=True)
    @blp.arguments(JobCreateSchema())  # an instance: webargs would build one per request from a class
    @blp.response(202, JobAcceptedSchema, headers={"Location": LOCATION_HEADER})
    @blp.alt_response(400, description="The body is not valid JSON")
    @blp.alt_response(413, description="The body is larger than MAX_BODY_BYTES")
    @blp.alt_response(415, description="The body is not application/json")
    def post(self, body):
        """Submit a job

        Answers at once with the job `queued`; poll its `Location` to follow it.
        With credentials the caller owns the job: only they can read it or see it
        listed. Without (if ALLOW_ANONYMOUS_JOBS), only its unguessable id reaches it.
        """
        d = blp.deps  # every check here is in submission.POLICY: the fast path runs it too
        owner = job_owner(current_principal(), d.settings.allow_anonymous_jobs)
        job = jobs.submit_job(d.db.uow(), body["text"], owner)
        return job, 202, {"Location": f"/api/jobs/{job.id}"}

    @authenticated(blp)
    @blp.arguments(JobListArgs(), location="query")
    @blp.response(200, JobPageSchema)
    def get(self, args):
        """List your jobs, newest first"""
        uow, owner = blp.deps.db.uow(), principal().user_id
        items, total = jobs.list_jobs(uow, owner, args["page"], args["page_size"], args.get("status"))
        pages = -(-total // args["page_size"])
        return {"items": items, "page": args["page"], "page_size": args["page_size"], "total": total, "pages": pages}


@blp.route("/<event_id>")
class JobById(MethodView):
    @authenticated(blp, optional=True)
    @blp.response(200, JobSchema)
    @blp.alt_response(404, description="No such job, or another user's")
    def get(self, event_id: str):
        """Read a job: its status, its steps and, once completed, its result"""
        caller = current_principal()
        return jobs.get_job(blp.deps.db.uow(), event_id, caller.user_id if caller else None)
