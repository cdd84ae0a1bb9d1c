"""Shapes of customer webhook endpoints and their deliveries."""

import marshmallow as ma

from gateway.platform.fields import Line, Text
from shared.messages.events import EVENT_TYPES


class EndpointCreateSchema(ma.Schema):
    url = Line(
        required=True,
        validate=ma.validate.Length(min=1, max=2048),
        metadata={"description": "A public http(s) URL (no loopback, private or link-local addresses)"},
    )
    event_types = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(EVENT_TYPES)),
        required=True,
        validate=ma.validate.Length(min=1, max=len(EVENT_TYPES)),
    )
    description = Text(load_default="", validate=ma.validate.Length(max=200))


class EndpointSchema(ma.Schema):
    id = ma.fields.UUID()
    url = ma.fields.String()
    description = ma.fields.String()
    event_types = ma.fields.List(ma.fields.String())
    enabled = ma.fields.Boolean()
    disabled_reason = ma.fields.String(allow_none=True)
    disabled_at = ma.fields.DateTime(allow_none=True)
    failing_since = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()


class EndpointCreatedSchema(EndpointSchema):
    secret = ma.fields.String(metadata={"description": "whsec_...: verify our signatures with it. Shown only now."})


class AttemptSchema(ma.Schema):
    attempt = ma.fields.Integer()
    status_code = ma.fields.Integer(allow_none=True)
    latency_ms = ma.fields.Integer(allow_none=True)
    error = ma.fields.String(allow_none=True)
    outcome = ma.fields.String(metadata={"enum": ["delivered", "retrying", "failed", "gone"]})
    attempted_at = ma.fields.DateTime()


class DeliverySchema(ma.Schema):
    id = ma.fields.UUID(metadata={"description": "Sent as webhook-id 'msg_<id without dashes>'"})
    event_id = ma.fields.UUID()
    event_type = ma.fields.String()
    status = ma.fields.String(metadata={"enum": ["pending", "delivered", "retrying", "failed", "gone"]})
    attempts = ma.fields.List(ma.fields.Nested(AttemptSchema))
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()


class DeliveryArgs(ma.Schema):
    limit = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))
