"""Use cases of the in-app inbox and of notification preferences."""

import uuid
from datetime import UTC, datetime

from gateway.notifications.models import Notification
from gateway.notifications.rules import CHANNELS, default_enabled
from gateway.notifications.store import NotificationStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import InvalidInput, NotFound
from shared.messages.events import EVENT_TYPES


def list_notifications(
    uow: UnitOfWork, user_id: uuid.UUID, page: int, page_size: int, unread_only: bool
) -> tuple[list[Notification], int, int]:
    """(one page newest first, total matching, unread count)."""
    with uow:
        return uow.store(NotificationStore).page(user_id, page, page_size, unread_only)


def mark_read(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> Notification:
    """Mark one of the caller's notifications read (idempotent); another user's is a 404."""
    try:
        notification_id = uuid.UUID(raw_id)
    except ValueError:
        raise NotFound(f"'{raw_id[:64]}' is not a notification id (ids are UUIDs)") from None
    with uow:
        notification = uow.store(NotificationStore).notification(notification_id)
        if notification is None or notification.user_id != user_id:
            raise NotFound(f"no notification with id {notification_id}")
        if notification.read_at is None:
            notification.read_at = datetime.now(UTC)
        uow.commit()
        return notification


def mark_all_read(uow: UnitOfWork, user_id: uuid.UUID) -> int:
    with uow:
        updated = uow.store(NotificationStore).mark_all_read(user_id, datetime.now(UTC))
        uow.commit()
        return updated


def get_preferences(uow: UnitOfWork, user_id: uuid.UUID) -> list[dict]:
    """Every event type with every channel, the stored choice or the default."""
    with uow:
        stored = uow.store(NotificationStore).preferences(user_id)
    return [{"event_type": t, **{c: stored.get((t, c), default_enabled(t, c)) for c in CHANNELS}} for t in EVENT_TYPES]


def set_preferences(uow: UnitOfWork, user_id: uuid.UUID, choices: list[dict]) -> list[dict]:
    """Store the choices (event type -> channel -> on/off), a later one winning; unnamed ones keep their values."""
    enabled = {}  # one row per (event type, channel): an upsert may not touch a row twice
    for index, choice in enumerate(choices):
        if choice["event_type"] not in EVENT_TYPES:
            raise InvalidInput(f"Unknown event type '{choice['event_type'][:64]}'.", f"preferences/{index}/event_type")
        enabled.update({(choice["event_type"], c): choice[c] for c in CHANNELS if c in choice})
    rows = [{"user_id": user_id, "event_type": t, "channel": c, "enabled": on} for (t, c), on in enabled.items()]
    with uow:
        if rows:
            uow.store(NotificationStore).set_preferences(rows)
        uow.commit()
    return get_preferences(uow, user_id)
