"""Request and response shapes of /api/jobs."""

import marshmallow as ma
from flask import current_app

from gateway.fastpaths.dump import FastDumpSchema
from gateway.jobs.models import JOB_STATUSES
from gateway.jobs.service import text_problem
from gateway.platform.fields import Text
from gateway.platform.http import PageArgs, PageSchema


class JobCreateSchema(FastDumpSchema):
    """A text to summarise and turn into a checklist."""

    text = Text(
        required=True,
        metadata={
            "description": "The guideline text (Korean or English). Not blank; at most 200 KiB of UTF-8.",
            "example": "All visitors must sign in at the front desk. Wear a badge at all times.",
        },
    )

    @ma.validates("text")
    def _text(self, value: str, **_):
        problem = text_problem(value, current_app.config["MAX_JOB_TEXT_BYTES"])
        if problem:
            raise ma.ValidationError(problem)


class UsageSchema(FastDumpSchema):
    prompt_tokens = ma.fields.Integer()
    completion_tokens = ma.fields.Integer()
    total_tokens = ma.fields.Integer()


class StepSchema(FastDumpSchema):
    """One step of the chain."""

    name = ma.fields.String(metadata={"example": "summary"})
    status = ma.fields.String()
    provider = ma.fields.String(allow_none=True)
    model = ma.fields.String(allow_none=True)
    usage = ma.fields.Nested(UsageSchema, allow_none=True)
    started_at = ma.fields.DateTime(allow_none=True)
    completed_at = ma.fields.DateTime(allow_none=True)


class ResultSchema(FastDumpSchema):
    summary = ma.fields.String()
    checklist = ma.fields.List(ma.fields.String())
    provider = ma.fields.String()
    model = ma.fields.String()
    usage = ma.fields.Nested(UsageSchema, allow_none=True)


class ErrorInfoSchema(FastDumpSchema):
    reason = ma.fields.String()
    code = ma.fields.String(allow_none=True)


class JobSchema(FastDumpSchema):
    """A job as its caller sees it."""

    event_id = ma.fields.UUID(attribute="id", metadata={"description": "The job's id (unguessable)."})
    status = ma.fields.String(metadata={"enum": list(JOB_STATUSES)})
    attempts = ma.fields.Integer()
    text_length = ma.fields.Method("_text_length", metadata={"description": "Characters in the submitted text."})
    summary = ma.fields.String(allow_none=True, metadata={"description": "Set once the summary step is done."})
    result = ma.fields.Method("_result", allow_none=True)
    error = ma.fields.Method("_error", allow_none=True)
    steps = ma.fields.List(ma.fields.Nested(StepSchema))
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    started_at = ma.fields.DateTime(allow_none=True)
    completed_at = ma.fields.DateTime(allow_none=True)
    failed_at = ma.fields.DateTime(allow_none=True)
    links = ma.fields.Method("_links")

    def _text_length(self, job) -> int:
        return len(job.text)

    def _result(self, job):
        if job.status != "completed":
            return None
        return ResultSchema().dump(job)

    def _error(self, job):
        if job.error is None:
            return None
        return {"reason": job.error, "code": job.error_code}

    def _links(self, job) -> dict:
        return {"self": f"/api/jobs/{job.id}"}


class JobAcceptedSchema(FastDumpSchema):
    """The answer to a submission: where to follow the job."""

    event_id = ma.fields.UUID(attribute="id")
    status = ma.fields.String(metadata={"enum": list(JOB_STATUSES)})
    created_at = ma.fields.DateTime()
    links = ma.fields.Function(lambda job: {"self": f"/api/jobs/{job.id}"})


class JobListArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(JOB_STATUSES))


class JobListItemSchema(JobSchema):
    """A job in a list: everything but its steps."""

    class Meta:
        exclude = ("steps",)


class JobPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(JobListItemSchema))
