"""What the report bodies of every sender share: limits, the lenient body of an AI server, the answers."""

import marshmallow as ma

MAX_EVENTS_PER_WEBHOOK = 1000
ID = ma.validate.Length(min=1, max=128)
KEY = ma.validate.Length(min=1, max=512)
MESSAGE = ma.validate.Length(min=1, max=5000)
CODE = ma.validate.Length(min=1, max=64)
PERCENT = ma.validate.Range(min=0, max=100)


class Body(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # a server in another language may send more; these are what counts


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
