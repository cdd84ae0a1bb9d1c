"""POST /api/webhooks/payments: the payments service's outcomes at the provider."""

import marshmallow as ma
from flask.views import MethodView

from gateway.payments.reports import record_payment_events
from gateway.platform.fields import INT32, Line, Output
from gateway.webhooks.bodies import WebhookAcceptedSchema
from gateway.webhooks.receiver import SIGNATURE_HEADERS, blp, events_of, receive
from shared.messages.payments import PAYMENT_EVENT_TYPES


class PaymentEventData(ma.Schema):
    provider = Line(validate=ma.validate.Length(max=32))
    provider_transaction_id = Line(validate=ma.validate.Length(max=200))
    amount = ma.fields.Integer(validate=INT32)
    reason = Output()
    code = Line()


class PaymentEventSchema(ma.Schema):
    """One outcome at the payment provider."""

    version = ma.fields.Integer(load_default=1, validate=INT32)
    id = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    type = ma.fields.String(required=True, validate=ma.validate.OneOf(PAYMENT_EVENT_TYPES))
    payment_id = ma.fields.UUID(required=True)
    occurred_at = ma.fields.AwareDateTime(required=True)
    data = ma.fields.Nested(PaymentEventData(unknown=ma.EXCLUDE), load_default=dict)


class PaymentEventBatchSchema(ma.Schema):
    events = events_of(PaymentEventSchema)


PAYMENT_BATCH = PaymentEventBatchSchema()


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
        return receive(blp.deps.payments_webhooks, "PAYMENTS_WEBHOOK_SECRETS", PAYMENT_BATCH.load, _record)


def _record(webhook_id: str, batch: dict):
    return record_payment_events(blp.deps.db.uow(), webhook_id, batch["events"])
