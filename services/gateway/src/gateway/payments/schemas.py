"""Request and response shapes of applications, enrolments and payments."""

import marshmallow as ma

from gateway.payments.models import PAYMENT_STATUSES, PAYMENT_TARGETS
from gateway.platform.fields import Text
from gateway.platform.http import PageArgs, PageSchema
from shared.messages.payments import PAYMENT_METHODS


class PayArgs(ma.Schema):
    amount = ma.fields.Integer(
        required=True,
        strict=True,
        validate=ma.validate.Range(min=0, max=100_000_000),
        metadata={"description": "Whole won; must equal the item's price", "example": 45000},
    )
    payment_method = ma.fields.String(required=True, validate=ma.validate.OneOf(PAYMENT_METHODS))


class CancelArgs(ma.Schema):
    reason = Text(required=True, validate=ma.validate.Length(min=1, max=500))


class PaymentSchema(ma.Schema):
    id = ma.fields.UUID()
    target_type = ma.fields.String(metadata={"enum": list(PAYMENT_TARGETS)})
    target_id = ma.fields.String()
    item_title = ma.fields.String(metadata={"description": "The item's title when it was paid for"})
    item_price = ma.fields.Integer(metadata={"description": "The item's price when it was paid for"})
    amount = ma.fields.Integer()
    currency = ma.fields.String()
    method = ma.fields.String(metadata={"enum": list(PAYMENT_METHODS)})
    status = ma.fields.String(metadata={"enum": list(PAYMENT_STATUSES)})
    provider = ma.fields.String(allow_none=True)
    provider_transaction_id = ma.fields.String(allow_none=True)
    failure_reason = ma.fields.String(allow_none=True)
    refund_reason = ma.fields.String(allow_none=True)
    refund_requested_at = ma.fields.DateTime(allow_none=True)
    paid_at = ma.fields.DateTime(allow_none=True)
    failed_at = ma.fields.DateTime(allow_none=True)
    cancelled_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    links = ma.fields.Function(lambda p: {"self": f"/api/payments/{p.id}", "cancel": f"/api/payments/{p.id}/cancel"})


class RegistrationSchema(ma.Schema):
    id = ma.fields.Integer()
    item_id = ma.fields.Method("_item_id")
    status = ma.fields.String(metadata={"enum": ["applied", "enrolled", "completed", "cancelled"]})
    registered_at = ma.fields.Method("_registered_at")
    completed_at = ma.fields.DateTime(allow_none=True)
    cancelled_at = ma.fields.DateTime(allow_none=True)
    payment_id = ma.fields.UUID(allow_none=True)

    def _item_id(self, registration) -> int:
        return getattr(registration, "test_id", None) or registration.course_id

    def _registered_at(self, registration) -> str:
        return (getattr(registration, "applied_at", None) or registration.enrolled_at).isoformat()


class RegisteredSchema(ma.Schema):
    registration = ma.fields.Nested(RegistrationSchema)
    payment = ma.fields.Nested(PaymentSchema, allow_none=True, metadata={"description": "null for a free item"})


class PaymentListArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(PAYMENT_STATUSES))
    created_from = ma.fields.AwareDateTime(data_key="from", metadata={"description": "created at or after"})
    created_to = ma.fields.AwareDateTime(data_key="to", metadata={"description": "created before"})

    @ma.validates_schema
    def _range(self, data, **_):
        if data.get("created_from") and data.get("created_to") and data["created_from"] >= data["created_to"]:
            raise ma.ValidationError("'from' must be before 'to'.", "from")


class PaymentPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(PaymentSchema))
