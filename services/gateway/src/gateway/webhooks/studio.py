"""/api/webhooks/training/* and /api/webhooks/inference/*: the AI servers' signed reports.

Each family accepts only its own servers' secrets (TRAINING_WEBHOOK_SECRETS,
INFERENCE_WEBHOOK_SECRETS): a training server cannot post inference results.
"""

import marshmallow as ma
from flask import request
from flask.views import MethodView

from gateway.app import deps
from gateway.platform.blueprint import Blueprint
from gateway.platform.decoding import json_body
from gateway.platform.http import require_json_bodies
from gateway.platform.problems import flatten_messages, problem
from gateway.studio.reports import record_inference_report, record_training_report
from gateway.webhooks import studio_schemas as schemas
from shared.webhooks import InvalidSignature

blp = Blueprint(
    "studio_webhooks",
    __name__,
    url_prefix="/api/webhooks",
    description="AI servers' reports on trainings and generations, signed the Standard Webhooks way with the "
    "family's own secret. A bad, stale or other family's signature gets 401; a replayed webhook-id has no second "
    "effect; an unknown id is 404; a report on finished work is answered `stale`.",
)
require_json_bodies(blp)
SIGNATURE_HEADERS = [
    {"in": "header", "name": name, "required": True, "schema": {"type": "string"}}
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
]
BODIES = {
    ("training", "progress"): schemas.TrainingProgressIn(),
    ("training", "complete"): schemas.TrainingCompleteIn(),
    ("training", "failed"): schemas.TrainingFailedIn(),
    ("inference", "progress"): schemas.InferenceProgressIn(),
    ("inference", "complete"): schemas.InferenceCompleteIn(),
    ("inference", "failed"): schemas.InferenceFailedIn(),
}
SUMMARIES = {
    "progress": "Report progress ({family})\n\nIgnored (`stale`) once finished or when below the progress recorded.",
    "complete": "Report a finished {family}\n\nApplies once; a repeat is `stale`.",
    "failed": "Report a failed {family}\n\nApplies once; a repeat is `stale`.",
}


def _verified(family: str, kind: str):
    """(webhook id, loaded body) of a webhook signed with this family's secret, or the problem refusing it."""
    verifier, setting = (
        (deps().training_webhooks, "TRAINING_WEBHOOK_SECRETS")
        if family == "training"
        else (deps().inference_webhooks, "INFERENCE_WEBHOOK_SECRETS")
    )
    body = request.get_data(cache=False)
    if verifier is None:
        return problem(503, f"No {setting} are configured.")
    try:
        webhook_id = verifier.verify(body, request.headers)
    except InvalidSignature as exc:
        return problem(
            401, str(exc), kind="invalid-signature", headers={"WWW-Authenticate": 'Signature realm="webhooks"'}
        )
    payload = json_body(body)  # a 400 problem for a body that is not JSON or holds a NUL
    try:
        return webhook_id, BODIES[family, kind].load(payload)
    except ma.ValidationError as exc:
        errors = flatten_messages({"json": exc.messages})
        return problem(422, f"{len(errors)} problem(s) in the report", errors=errors)


def _report_view(family: str, kind: str):
    @blp.doc(
        parameters=SIGNATURE_HEADERS,
        requestBody={"required": True, "content": {"application/json": {"schema": BODIES[family, kind]}}},
    )
    @blp.response(200, schemas.ReportAcceptedSchema)
    @blp.alt_response(401, description="Missing, bad or stale signature, or another family's secret")
    @blp.alt_response(404, description="No such style or generation")
    @blp.alt_response(422, description="Signed, but the body does not validate")
    def view(self):
        verified = _verified(family, kind)
        if not isinstance(verified, tuple):
            return verified
        webhook_id, body = verified
        d = deps()
        if family == "training":
            return record_training_report(d.db.uow(), webhook_id, kind, body)
        return record_inference_report(d.db.uow(), webhook_id, kind, body, d.settings.artist_share_percent)

    view.__doc__ = SUMMARIES[kind].format(family="training" if family == "training" else "generation")
    return view


@blp.route("/training/progress")
class TrainingProgress(MethodView):
    patch = _report_view("training", "progress")


@blp.route("/training/complete")
class TrainingComplete(MethodView):
    post = _report_view("training", "complete")


@blp.route("/training/failed")
class TrainingFailed(MethodView):
    post = _report_view("training", "failed")


@blp.route("/inference/progress")
class InferenceProgress(MethodView):
    patch = _report_view("inference", "progress")


@blp.route("/inference/complete")
class InferenceComplete(MethodView):
    post = _report_view("inference", "complete")


@blp.route("/inference/failed")
class InferenceFailed(MethodView):
    post = _report_view("inference", "failed")
