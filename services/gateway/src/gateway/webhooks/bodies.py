"""What the report bodies of every sender share: limits, the lenient body of an AI server, the `data` of an AI
task family's reports (careers, classroom), the answers."""

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


class ResultData(ma.Schema):
    """A completed AI task's `data`: its result (checked against the task's JSON Schema where it is applied)."""

    result = ma.fields.Dict(required=True, metadata={"description": "As the task's JSON Schema describes it"})
    provider = Line(required=True)
    model = Line(required=True)
    usage = ma.fields.Nested(UsageIn, allow_none=True)


def report_data_schemas(family: str) -> dict[str, ma.Schema]:
    """The `data` schema of each type of an AI task family's reports (`careers.processing`, ...), built once."""
    return {
        f"{family}.processing": ma.Schema.from_dict({"worker": Line(allow_none=True)})(unknown=ma.EXCLUDE),
        f"{family}.retrying": ReasonData(unknown=ma.EXCLUDE),
        f"{family}.completed": ResultData(unknown=ma.EXCLUDE),
        f"{family}.failed": ReasonData(unknown=ma.EXCLUDE),
    }


def typed_data(schemas: dict[str, ma.Schema], item: dict) -> dict:
    """A report's `data` loaded by its type's schema; a ValidationError under `data` when it does not hold."""
    try:
        return schemas[item["type"]].load(item["data"])
    except ma.ValidationError as exc:
        raise ma.ValidationError({"data": exc.messages}) from None


def one_or_batch(batch: ma.Schema, one: ma.Schema, payload) -> dict:
    """A batch ({"events": [...]}) or one report, as a batch."""
    if isinstance(payload, dict) and "events" not in payload:
        return {"events": [one.load(payload)]}
    return batch.load(payload)


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


class TaskResultSchema(ma.Schema):
    """What one report did to its AI task (careers, classroom)."""

    id = ma.fields.String()
    task = ma.fields.String()
    task_id = ma.fields.String()
    result = ma.fields.String(
        metadata={
            "enum": ["applied", "stale", "not_found", "invalid"],
            "description": "invalid: a completed result that does not match its schema; the task failed",
        }
    )


class TaskAcceptedSchema(ma.Schema):
    webhook_id = ma.fields.String()
    replayed = ma.fields.Boolean(metadata={"description": "True when this webhook id was accepted before."})
    results = ma.fields.List(ma.fields.Nested(TaskResultSchema))
