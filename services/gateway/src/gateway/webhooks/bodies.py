"""What the report bodies of every sender share: limits, the lenient body of an AI server, the answers."""

import marshmallow as ma

from gateway.platform.fields import COUNT, POSITIVE, Line, Output

MAX_EVENTS_PER_WEBHOOK = 1000
ID = ma.validate.Length(min=1, max=128)
KEY = ma.validate.Length(min=1, max=512)
MESSAGE = ma.validate.Length(min=1, max=5000)
CODE = ma.validate.Length(min=1, max=64)
PERCENT = ma.validate.Range(min=0, max=100)


class Body(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # a server in another language may send more; these are what counts


class UsageIn(ma.Schema):
    """A model's token usage, as the llm-worker reports it (jobs and careers)."""

    prompt_tokens = ma.fields.Integer(load_default=0, validate=COUNT)
    completion_tokens = ma.fields.Integer(load_default=0, validate=COUNT)
    total_tokens = ma.fields.Integer(load_default=0, validate=COUNT)


class ReasonData(ma.Schema):
    """Why work is retried or failed (the llm-worker's jobs and careers reports)."""

    reason = Output(required=True)
    code = Line()
    next_attempt = ma.fields.Integer(validate=POSITIVE)
    delay_ms = ma.fields.Integer(validate=COUNT)


class EventResultSchema(ma.Schema):
    id = ma.fields.String()
    job_id = ma.fields.String()
    result = ma.fields.String(metadata={"enum": ["applied", "stale", "not_found"]})


class WebhookAcceptedSchema(ma.Schema):
    webhook_id = ma.fields.String()
    replayed = ma.fields.Boolean(metadata={"description": "True when this webhook id was accepted before."})
    results = ma.fields.List(ma.fields.Nested(EventResultSchema))


class ReportAcceptedSchema(ma.Schema):
    webhook_id = ma.fields.String()
    replayed = ma.fields.Boolean(metadata={"description": "True when this webhook id was accepted before"})
    result = ma.fields.String(
        metadata={"enum": ["applied", "stale"], "description": "stale: a repeat or late report, nothing changed"}
    )
    status = ma.fields.String(metadata={"description": "The style's or generation's status after this report"})
