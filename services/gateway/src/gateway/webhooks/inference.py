"""PATCH/POST /api/webhooks/inference/*: an AI server's reports on an image generation.

Signed with INFERENCE_WEBHOOK_SECRETS only: an inference server cannot post training results.
"""

import marshmallow as ma
from flask.views import MethodView

from gateway.platform.fields import COUNT, POSITIVE, Line, Output
from gateway.studio.reports import record_inference_report
from gateway.webhooks.bodies import CODE, ID, KEY, MESSAGE, PERCENT, Body
from gateway.webhooks.receiver import studio_blp, studio_view


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


BODIES = {"progress": InferenceProgressIn(), "complete": InferenceCompleteIn(), "failed": InferenceFailedIn()}


def _view(kind: str):
    def record(webhook_id: str, body: dict):
        deps = studio_blp.deps
        return record_inference_report(deps.db.uow(), webhook_id, kind, body, deps.settings.artist_share_percent)

    return studio_view(
        kind,
        "generation",
        BODIES[kind],
        lambda: studio_blp.deps.inference_webhooks,
        "INFERENCE_WEBHOOK_SECRETS",
        record,
    )


@studio_blp.route("/inference/progress")
class InferenceProgress(MethodView):
    patch = _view("progress")


@studio_blp.route("/inference/complete")
class InferenceComplete(MethodView):
    post = _view("complete")


@studio_blp.route("/inference/failed")
class InferenceFailed(MethodView):
    post = _view("failed")
