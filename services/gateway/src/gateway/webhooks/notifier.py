"""POST /api/webhooks/notifier: the notifier's reports on deliveries to customer webhook endpoints."""

import marshmallow as ma
from flask.views import MethodView

from gateway.notifications.reports import record_notifier_reports
from gateway.platform.fields import COUNT, INT32, POSITIVE, Line, Output
from gateway.webhooks.bodies import WebhookAcceptedSchema
from gateway.webhooks.receiver import SIGNATURE_HEADERS, blp, events_of, receive
from shared.messages.events import NOTIFIER_REPORT_TYPES


class AttemptData(ma.Schema):
    delivery_id = ma.fields.UUID(required=True)
    event_id = Line()
    event_type = Line()
    attempt = ma.fields.Integer(required=True, validate=POSITIVE)
    status_code = ma.fields.Integer(allow_none=True, validate=INT32)
    latency_ms = ma.fields.Integer(allow_none=True, validate=COUNT)
    error = Output(allow_none=True)
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(["delivered", "retrying", "failed", "gone"]))


class DisabledData(ma.Schema):
    reason = Output()


# One instance per type, built once (as the job reports' DATA_SCHEMAS).
DATA_SCHEMAS = {
    "webhook.attempted": AttemptData(unknown=ma.EXCLUDE),
    "endpoint.disabled": DisabledData(unknown=ma.EXCLUDE),
}


class NotifierReportSchema(ma.Schema):
    """One delivery attempt, or an endpoint switched off."""

    version = ma.fields.Integer(load_default=1, validate=INT32)
    id = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    type = ma.fields.String(required=True, validate=ma.validate.OneOf(NOTIFIER_REPORT_TYPES))
    endpoint_id = ma.fields.UUID(required=True)
    occurred_at = ma.fields.AwareDateTime(required=True)
    data = ma.fields.Dict(load_default=dict)

    @ma.validates_schema
    def _data(self, report, **_):
        try:
            report["data"] = DATA_SCHEMAS[report["type"]].load(report["data"])
        except ma.ValidationError as exc:
            raise ma.ValidationError({"data": exc.messages}) from None  # so the errors point into `data`


class NotifierReportBatchSchema(ma.Schema):
    events = events_of(NotifierReportSchema)


NOTIFIER_BATCH = NotifierReportBatchSchema()


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
        return receive(blp.deps.notifier_webhooks, "NOTIFIER_WEBHOOK_SECRETS", NOTIFIER_BATCH.load, _record)


def _record(webhook_id: str, batch: dict):
    return record_notifier_reports(blp.deps.db.uow(), webhook_id, batch["events"])
