"""POST /api/webhooks/jobs: the llm-worker's reports on GPT jobs, in batches."""

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from gateway.fastpaths.load import compile_batch_loader, run
from gateway.jobs.reports import record_job_events
from gateway.jobs.rules import STEP_POSITIONS, JobEventIn
from gateway.platform.fields import POSITIVE, Line, Output
from gateway.webhooks.bodies import ReasonData, UsageIn, WebhookAcceptedSchema
from gateway.webhooks.receiver import SIGNATURE_HEADERS, blp, events_of, receive
from shared.messages.jobs import JOB_EVENT_TYPES


class StepIn(ma.Schema):
    """One finished step of the chain."""

    step = ma.fields.String(required=True, validate=ma.validate.OneOf(list(STEP_POSITIONS)))
    provider = Line()
    model = Line()
    usage = ma.fields.Nested(UsageIn)
    started_at = ma.fields.AwareDateTime()
    completed_at = ma.fields.AwareDateTime()


class StepCompletedData(StepIn):
    summary = Output()
    checklist = ma.fields.List(Output())


class CompletedData(ma.Schema):
    summary = Output(required=True)
    checklist = ma.fields.List(Output(), required=True)
    provider = Line(required=True)
    model = Line(required=True)
    usage = ma.fields.Nested(UsageIn)
    steps = ma.fields.List(ma.fields.Nested(StepIn), load_default=list)


# One instance per type, built once: instantiating a schema per event costs more than loading it.
DATA_SCHEMAS = {
    "job.processing": ma.Schema.from_dict({"worker": Line()})(unknown=ma.EXCLUDE),
    "job.step_completed": StepCompletedData(unknown=ma.EXCLUDE),
    "job.retrying": ReasonData(unknown=ma.EXCLUDE),
    "job.completed": CompletedData(unknown=ma.EXCLUDE),
    "job.failed": ReasonData(unknown=ma.EXCLUDE),
}


class JobEventSchema(ma.Schema):
    """One report about one job."""

    version = ma.fields.Integer(load_default=1, validate=ma.validate.Equal(1))
    id = Line(required=True, validate=ma.validate.Length(1, 128))
    type = ma.fields.String(required=True, validate=ma.validate.OneOf(JOB_EVENT_TYPES))
    job_id = ma.fields.UUID(required=True)
    occurred_at = ma.fields.AwareDateTime(required=True)
    attempt = ma.fields.Integer(load_default=1, validate=POSITIVE)
    data = ma.fields.Dict(load_default=dict)

    @ma.post_load
    def _typed(self, item, **_):
        try:
            item["data"] = DATA_SCHEMAS[item["type"]].load(item["data"])
        except ma.ValidationError as exc:
            raise ma.ValidationError({"data": exc.messages}) from None
        return _event(item)


def _event(item: dict) -> JobEventIn:
    """A loaded event as the rules take it: the schema's post_load and the compiled loader both end here."""
    item.pop("version")
    return JobEventIn(**item)


class JobEventBatchSchema(ma.Schema):
    """A batch of reports, applied in order in one transaction."""

    events = events_of(JobEventSchema)


JOB_EVENT_BATCH = JobEventBatchSchema()
COMPILED_JOB_BATCH = compile_batch_loader(JOB_EVENT_BATCH, DATA_SCHEMAS, _event)


def load_job_batch(payload: Any) -> dict:
    """`JobEventBatchSchema().load(payload)`: compiled checks for the well-formed batches the worker sends
    (gateway/fastpaths/load.py), marshmallow for anything else, so every error is marshmallow's."""
    fast = run(COMPILED_JOB_BATCH, payload)
    return fast if fast is not None else JOB_EVENT_BATCH.load(payload)


@blp.route("/jobs")
class JobWebhooks(MethodView):
    @blp.doc(
        parameters=SIGNATURE_HEADERS,
        requestBody={"required": True, "content": {"application/json": {"schema": JobEventBatchSchema}}},
    )
    @blp.response(200, WebhookAcceptedSchema)
    @blp.alt_response(401, description="Missing, bad or stale signature")
    @blp.alt_response(422, description="Signed, but the events do not validate")
    def post(self):
        """Report job progress (llm-worker)

        The body is verified before it is parsed. Events apply in order; a
        finished job never changes, and a report older than the last one is
        ignored (`stale`).
        """
        return receive(blp.deps.jobs_webhooks, "JOBS_WEBHOOK_SECRETS", load_job_batch, _record)


def _record(webhook_id: str, batch: dict):
    return record_job_events(blp.deps.db.uow(), webhook_id, "llm-worker", batch["events"])
