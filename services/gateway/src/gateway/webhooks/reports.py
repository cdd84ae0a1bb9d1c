"""/api/webhooks: signed reports from the platform's own services (never user tokens)."""

from collections.abc import Callable

import marshmallow as ma
from flask import request
from flask.views import MethodView

from gateway.app import deps
from gateway.jobs.reports import record_job_events
from gateway.notifications.reports import record_notifier_reports
from gateway.payments.reports import record_payment_events
from gateway.platform.blueprint import Blueprint
from gateway.platform.decoding import json_body
from gateway.platform.http import require_json_bodies
from gateway.platform.problems import flatten_messages, problem
from gateway.webhooks.report_schemas import (
    JobEventBatchSchema,
    NotifierReportBatchSchema,
    PaymentEventBatchSchema,
    WebhookAcceptedSchema,
    load_job_batch,
)
from shared.webhooks import InvalidSignature

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/api/webhooks",
    description="Internal webhooks, signed the Standard Webhooks way (webhook-id, webhook-timestamp, "
    "webhook-signature). A bad signature gets 401; a replayed webhook-id has no second effect.",
)
require_json_bodies(blp)

PAYMENT_BATCH = PaymentEventBatchSchema()
NOTIFIER_BATCH = NotifierReportBatchSchema()
SIGNATURE_HEADERS = [
    {"in": "header", "name": name, "required": True, "schema": {"type": "string"}}
    for name in ("webhook-id", "webhook-timestamp", "webhook-signature")
]


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
        verified = _verified_batch(deps().jobs_webhooks, "JOBS_WEBHOOK_SECRETS", load_job_batch)
        if not isinstance(verified, tuple):
            return verified
        webhook_id, batch = verified
        return record_job_events(deps().db.uow(), webhook_id, "llm-worker", batch["events"])


@blp.route("/payments")
class PaymentWebhooks(MethodView):
    @blp.doc(
        parameters=SIGNATURE_HEADERS,
        requestBody={"required": True, "content": {"application/json": {"schema": PaymentEventBatchSchema}}},
    )
    @blp.response(200, WebhookAcceptedSchema)
    @blp.alt_response(401, description="Missing, bad or stale signature")
    @blp.alt_response(422, description="Signed, but the events do not validate")
    def post(self):
        """Report payment outcomes (payments service)

        A payment only moves forward (pending -> paid | failed, paid -> cancelled
        when refunded); a repeated or late outcome is answered `stale`.
        """
        verified = _verified_batch(deps().payments_webhooks, "PAYMENTS_WEBHOOK_SECRETS", PAYMENT_BATCH.load)
        if not isinstance(verified, tuple):
            return verified
        webhook_id, batch = verified
        return record_payment_events(deps().db.uow(), webhook_id, batch["events"])


@blp.route("/notifier")
class NotifierWebhooks(MethodView):
    @blp.doc(
        parameters=SIGNATURE_HEADERS,
        requestBody={"required": True, "content": {"application/json": {"schema": NotifierReportBatchSchema}}},
    )
    @blp.response(200, WebhookAcceptedSchema)
    @blp.alt_response(401, description="Missing, bad or stale signature")
    @blp.alt_response(422, description="Signed, but the reports do not validate")
    def post(self):
        """Report customer webhook delivery attempts (notifier)

        Each attempt is recorded once (by its report id); an `endpoint.disabled`
        report switches the endpoint off with its reason.
        """
        verified = _verified_batch(deps().notifier_webhooks, "NOTIFIER_WEBHOOK_SECRETS", NOTIFIER_BATCH.load)
        if not isinstance(verified, tuple):
            return verified
        webhook_id, batch = verified
        return record_notifier_reports(deps().db.uow(), webhook_id, batch["events"])


def _verified_batch(verifier, setting: str, load: Callable):
    """(webhook id, loaded body) of a signed webhook, or the problem response that refuses it."""
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
        return webhook_id, load(payload)
    except ma.ValidationError as exc:
        errors = flatten_messages({"json": exc.messages})
        return problem(422, f"{len(errors)} problem(s) in the events", errors=errors)
