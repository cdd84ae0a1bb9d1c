"""The inbox's, the notification preferences' and the events' SQL, over one transaction's session."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import orjson
from psycopg.rows import namedtuple_row
from sqlalchemy import any_, func, select, update
from sqlalchemy.dialects.postgresql import insert

from gateway.accounts.models import User
from gateway.notifications.models import Notification, NotificationPreference, WebhookEndpoint
from gateway.platform.db import driver_connection
from gateway.platform.outbox import add_message, add_messages
from shared.messages import Message

NOTIFICATION_COLUMNS = ("id", "user_id", "event_id", "type", "title", "body", "data", "created_at")
INSERT_NOTIFICATIONS_SQL = """
INSERT INTO notifications (id, user_id, event_id, type, title, body, data, created_at)
SELECT v.id, v.user_id, v.event_id, v.type, v.title, v.body, v.data::jsonb, v.created_at
FROM unnest(%(id)s::uuid[], %(user_id)s::uuid[], %(event_id)s::uuid[], %(type)s::text[], %(title)s::text[],
            %(body)s::text[], %(data)s::text[], %(created_at)s::timestamptz[])
     AS v(id, user_id, event_id, type, title, body, data, created_at)
"""
CHOICES_SQL = """
SELECT p.user_id, p.event_type, p.channel, p.enabled
FROM notification_preferences p JOIN unnest(%(user_id)s::uuid[], %(event_type)s::text[]) AS k(user_id, event_type)
     ON p.user_id = k.user_id AND p.event_type = k.event_type
"""
OPEN_EMAILS_SQL = "SELECT id, email FROM users WHERE id = ANY(%(ids)s) AND closed_at IS NULL"
ENDPOINTS_SQL = (
    "SELECT id, user_id, url, secret, event_types FROM webhook_endpoints "
    "WHERE user_id = ANY(%(ids)s) AND enabled AND event_types && %(types)s::varchar[]"
)


class NotificationStore:
    """Plain methods over notifications, preferences and what an event reaches, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def page(
        self, user_id: uuid.UUID, page: int, page_size: int, unread_only: bool
    ) -> tuple[list[Notification], int, int]:
        """(one page newest first, total matching, unread count)."""
        conditions = [Notification.user_id == user_id]
        if unread_only:
            conditions.append(Notification.read_at.is_(None))
        query = select(Notification).where(*conditions).order_by(Notification.created_at.desc(), Notification.id.desc())
        count = select(func.count()).select_from(Notification)
        items = list(self._session.scalars(query.offset((page - 1) * page_size).limit(page_size)))
        total = self._session.scalar(count.where(*conditions))
        unread = self._session.scalar(count.where(Notification.user_id == user_id, Notification.read_at.is_(None)))
        return items, total, unread

    def notification(self, notification_id: uuid.UUID) -> Notification | None:
        """The notification (its read_at, when set, is written on commit)."""
        return self._session.get(Notification, notification_id)

    def mark_all_read(self, user_id: uuid.UUID, now: datetime) -> int:
        """How many of the user's unread notifications were marked read."""
        return self._session.execute(
            update(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .values(read_at=now)
        ).rowcount

    def preferences(self, user_id: uuid.UUID) -> dict[tuple[str, str], bool]:
        """The stored choices: (event type, channel) -> enabled."""
        query = select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        return {(p.event_type, p.channel): p.enabled for p in self._session.scalars(query)}

    def set_preferences(self, rows: list[dict]) -> None:
        """Upsert (user_id, event_type, channel, enabled) rows; no row may appear twice."""
        statement = insert(NotificationPreference).values(rows)
        self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["user_id", "event_type", "channel"], set_={"enabled": statement.excluded.enabled}
            )
        )

    def choices(self, user_id: uuid.UUID, event_type: str) -> dict[str, bool]:
        """The user's stored channel -> enabled for one event type."""
        rows = self._session.execute(
            select(NotificationPreference.channel, NotificationPreference.enabled).where(
                NotificationPreference.user_id == user_id, NotificationPreference.event_type == event_type
            )
        )
        return dict(rows.all())

    def add(self, record) -> None:
        """A new notification or webhook delivery, written with the session's next flush."""
        self._session.add(record)

    def open_email(self, user_id: uuid.UUID) -> str | None:
        """The user's e-mail address, or None when the account is closed (its address is a placeholder)."""
        return self._session.scalar(select(User.email).where(User.id == user_id, User.closed_at.is_(None)))

    def subscribed_endpoints(self, user_id: uuid.UUID, event_type: str) -> Iterable[WebhookEndpoint]:
        """The user's enabled endpoints that take `event_type`."""
        return self._session.scalars(
            select(WebhookEndpoint).where(
                WebhookEndpoint.user_id == user_id,
                WebhookEndpoint.enabled,
                any_(WebhookEndpoint.event_types) == event_type,
            )
        )

    def add_message(self, message: Message) -> None:
        add_message(self._session, message)

    # Several events at once (notifications.events.publish_all): one statement each, whatever their number.

    def choices_of(self, pairs: set[tuple[uuid.UUID, str]]) -> dict[tuple[uuid.UUID, str], dict[str, bool]]:
        """The stored channel -> enabled of each (user, event type)."""
        params = {"user_id": [user_id for user_id, _ in pairs], "event_type": [event_type for _, event_type in pairs]}
        chosen: dict[tuple[uuid.UUID, str], dict[str, bool]] = {}
        for user_id, event_type, channel, enabled in self._driver().execute(CHOICES_SQL, params, prepare=True):
            chosen.setdefault((user_id, event_type), {})[channel] = enabled
        return chosen

    def open_emails(self, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """open_email of each user whose account is open."""
        return dict(self._driver().execute(OPEN_EMAILS_SQL, {"ids": list(user_ids)}, prepare=True).fetchall())

    def endpoints_of(self, user_ids: set[uuid.UUID], event_types: set[str]) -> list[Any]:
        """The users' enabled endpoints that take any of `event_types` (subscribed_endpoints picks per event)."""
        cursor = self._driver().cursor(row_factory=namedtuple_row)
        params = {"ids": list(user_ids), "types": sorted(event_types)}
        return cursor.execute(ENDPOINTS_SQL, params, prepare=True).fetchall()

    def add_notifications(self, notifications: list[Notification]) -> None:
        """New notifications in one statement."""
        if notifications:
            params = {name: [getattr(n, name) for n in notifications] for name in NOTIFICATION_COLUMNS}
            params["data"] = [orjson.dumps(d).decode() for d in params["data"]]
            self._driver().execute(INSERT_NOTIFICATIONS_SQL, params, prepare=True)

    def add_messages(self, messages: list[Message]) -> None:
        add_messages(self._session, messages)

    def _driver(self):
        return driver_connection(self._session)
