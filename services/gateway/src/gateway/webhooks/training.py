"""PATCH/POST /api/webhooks/training/*: an AI server's reports on a style's training.

Signed with TRAINING_WEBHOOK_SECRETS only: a training server cannot post inference results.
"""

import marshmallow as ma
from flask.views import MethodView

from gateway.platform.fields import COUNT, POSITIVE, Line, Output
from gateway.studio.reports import record_training_report
from gateway.webhooks.bodies import CODE, ID, KEY, MESSAGE, PERCENT, Body
from gateway.webhooks.receiver import studio_blp, studio_view


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


BODIES = {"progress": TrainingProgressIn(), "complete": TrainingCompleteIn(), "failed": TrainingFailedIn()}


def _view(kind: str):
    def record(webhook_id: str, body: dict):
        return record_training_report(studio_blp.deps.db.uow(), webhook_id, kind, body)

    return studio_view(
        kind, "training", BODIES[kind], lambda: studio_blp.deps.training_webhooks, "TRAINING_WEBHOOK_SECRETS", record
    )


@studio_blp.route("/training/progress")
class TrainingProgress(MethodView):
    patch = _view("progress")


@studio_blp.route("/training/complete")
class TrainingComplete(MethodView):
    post = _view("complete")


@studio_blp.route("/training/failed")
class TrainingFailed(MethodView):
    post = _view("failed")
