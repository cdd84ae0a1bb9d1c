"""Shapes of the inbox and of notification preferences."""

import marshmallow as ma

from gateway.platform.fields import Flag, Line
from gateway.platform.http import PageArgs, PageSchema
from shared.messages.events import EVENT_TYPES


class NotificationSchema(ma.Schema):
    id = ma.fields.UUID()
    type = ma.fields.String(metadata={"enum": list(EVENT_TYPES)})
    title = ma.fields.String()
    body = ma.fields.String()
    data = ma.fields.Dict(metadata={"description": "The event's facts; `id` is the job or payment it is about"})
    read = ma.fields.Function(lambda n: n.read_at is not None)
    read_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()


class NotificationListArgs(PageArgs):
    unread = ma.fields.Boolean(load_default=False, metadata={"description": "Only unread ones"})


class NotificationPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(NotificationSchema))
    unread_count = ma.fields.Integer()


class ReadAllSchema(ma.Schema):
    updated = ma.fields.Integer(metadata={"description": "How many were unread"})


class PreferenceSchema(ma.Schema):
    event_type = Line(required=True, metadata={"enum": list(EVENT_TYPES)})
    in_app = Flag(metadata={"description": "Kept in the inbox"})
    realtime = Flag(metadata={"description": "Pushed to connected clients (SSE, WebSocket)"})
    email = Flag(metadata={"description": "E-mailed (receipts and failures by default)"})


class PreferencesSchema(ma.Schema):
    preferences = ma.fields.List(
        ma.fields.Nested(PreferenceSchema), required=True, validate=ma.validate.Length(max=len(EVENT_TYPES) * 2)
    )
