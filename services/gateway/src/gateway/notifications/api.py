"""/api/notifications (the in-app inbox) and /api/me/notification-preferences."""

from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.notifications import service as notifications
from gateway.notifications.schemas import (
    NotificationListArgs,
    NotificationPageSchema,
    NotificationSchema,
    PreferencesSchema,
    ReadAllSchema,
)
from gateway.platform.blueprint import Blueprint
from gateway.platform.http import require_json_bodies

blp = Blueprint("notifications", __name__, url_prefix="/api", description="The in-app inbox and its preferences.")
require_json_bodies(blp)


@blp.route("/notifications")
class Inbox(MethodView):
    @authenticated(blp)
    @blp.arguments(NotificationListArgs(), location="query")
    @blp.response(200, NotificationPageSchema)
    def get(self, args):
        """Your notifications, newest first, with the unread count"""
        page, size = args["page"], args["page_size"]
        items, total, unread = notifications.list_notifications(
            blp.deps.db.uow(), principal().user_id, page, size, args["unread"]
        )
        pages = -(-total // size)
        return {"items": items, "page": page, "page_size": size, "total": total, "pages": pages, "unread_count": unread}


@blp.route("/notifications/<notification_id>/read")
class ReadOne(MethodView):
    @authenticated(blp)
    @blp.response(200, NotificationSchema)
    @blp.alt_response(404, description="No such notification among yours")
    def post(self, notification_id: str):
        """Mark a notification read (idempotent)"""
        return notifications.mark_read(blp.deps.db.uow(), principal().user_id, notification_id)


@blp.route("/notifications/read-all")
class ReadAll(MethodView):
    @authenticated(blp)
    @blp.response(200, ReadAllSchema)
    def post(self):
        """Mark every notification read"""
        return {"updated": notifications.mark_all_read(blp.deps.db.uow(), principal().user_id)}


@blp.route("/me/notification-preferences")
class Preferences(MethodView):
    @authenticated(blp)
    @blp.response(200, PreferencesSchema)
    def get(self):
        """Which channels carry each event type to you"""
        return {"preferences": notifications.get_preferences(blp.deps.db.uow(), principal().user_id)}

    @authenticated(blp)
    @blp.arguments(PreferencesSchema())
    @blp.response(200, PreferencesSchema)
    @blp.alt_response(422, description="An unknown event type, or a value that is not a boolean")
    def put(self, body):
        """Choose channels per event type (only the ones you name change)"""
        return {
            "preferences": notifications.set_preferences(blp.deps.db.uow(), principal().user_id, body["preferences"])
        }
