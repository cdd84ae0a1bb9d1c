"""Request and response shapes of /api/api-keys."""

import marshmallow as ma

from gateway.platform.fields import Line


class ApiKeyCreateSchema(ma.Schema):
    name = Line(
        required=True,
        validate=ma.validate.Length(min=1, max=100),
        metadata={"description": "What the key is for", "example": "nightly import"},
    )


class ApiKeySchema(ma.Schema):
    id = ma.fields.UUID()
    name = ma.fields.String()
    prefix = ma.fields.String(metadata={"description": "Shown in the key after 'ak_', to tell keys apart"})
    created_at = ma.fields.DateTime()
    last_used_at = ma.fields.DateTime(allow_none=True, metadata={"description": "To the minute"})


class ApiKeyCreatedSchema(ApiKeySchema):
    key = ma.fields.String(metadata={"description": "The key itself. Shown only now: store it safely."})
