"""Bodies of the AI servers' webhooks, exactly as shared.messages.styles documents them."""

import marshmallow as ma

from gateway.platform.fields import COUNT, POSITIVE, Line, Output

ID = ma.validate.Length(min=1, max=128)
KEY = ma.validate.Length(min=1, max=512)
MESSAGE = ma.validate.Length(min=1, max=5000)
CODE = ma.validate.Length(min=1, max=64)
PERCENT = ma.validate.Range(min=0, max=100)


class Body(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # a server in another language may send more; these are what counts


class EpochProgress(Body):
    current_epoch = ma.fields.Integer(required=True, strict=True, validate=COUNT)
    total_epochs = ma.fields.Integer(required=True, strict=True, validate=POSITIVE)
    progress_percent = ma.fields.Integer(required=True, strict=True, validate=PERCENT)
    estimated_seconds = ma.fields.Integer(required=True, strict=True, validate=COUNT)


class TrainingProgressIn(Body):
    style_id = Line(required=True, validate=ID)
    progress = ma.fields.Nested(EpochProgress, required=True)


class TrainingMetric(Body):
    loss = ma.fields.Float(required=True, allow_nan=False)
    epochs = ma.fields.Integer(required=True, strict=True, validate=COUNT)


class TrainingCompleteIn(Body):
    style_id = Line(required=True, validate=ID)
    model_path = Line(required=True, validate=KEY, metadata={"description": "The model's object key"})
    training_metric = ma.fields.Nested(TrainingMetric, required=True)


class TrainingFailedIn(Body):
    style_id = Line(required=True, validate=ID)
    error_message = Output(required=True, validate=MESSAGE)
    error_code = Line(required=True, validate=CODE)


class StepProgress(Body):
    current_step = ma.fields.Integer(required=True, strict=True, validate=COUNT)
    total_steps = ma.fields.Integer(required=True, strict=True, validate=POSITIVE)
    progress_percent = ma.fields.Integer(required=True, strict=True, validate=PERCENT)
    estimated_seconds = ma.fields.Integer(required=True, strict=True, validate=COUNT)


class InferenceProgressIn(Body):
    generation_id = Line(required=True, validate=ID)
    progress = ma.fields.Nested(StepProgress, required=True)


class InferenceCompleteIn(Body):
    generation_id = Line(required=True, validate=ID)
    result_url = Line(required=True, validate=KEY, metadata={"description": "The image's object key"})
    metadata = ma.fields.Dict(
        required=True, metadata={"description": "width, height, seed, signature_id, engine, content_type, ..."}
    )


class InferenceFailedIn(Body):
    generation_id = Line(required=True, validate=ID)
    error_message = Output(required=True, validate=MESSAGE)
    error_code = Line(required=True, validate=CODE)


class ReportAcceptedSchema(ma.Schema):
    webhook_id = ma.fields.String()
    replayed = ma.fields.Boolean(metadata={"description": "True when this webhook id was accepted before"})
    result = ma.fields.String(
        metadata={"enum": ["applied", "stale"], "description": "stale: a repeat or late report, nothing changed"}
    )
    status = ma.fields.String(metadata={"description": "The style's or generation's status after this report"})
