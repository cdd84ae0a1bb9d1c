"""Publishing domain events: recorded in the outbox with the change that caused them, routed per the owner's choices.

Called inside the transaction of the change. It records the in-app
notification (once: the event id is unique), writes the DomainEvent for the
notifier (push, e-mail) and one DeliverWebhook per subscribed customer
endpoint, all to the outbox, so all of it happens exactly when the change
commits.
"""

import uuid
from datetime import UTC, datetime

from gateway.notifications.models import Notification, WebhookDelivery
from gateway.notifications.rules import CHANNELS, default_enabled, render
from gateway.notifications.store import NotificationStore
from shared.messages import DeliverWebhook, DomainEvent


def publish_event(session, user_id: uuid.UUID, event_type: str, data: dict, subject_id: str) -> uuid.UUID:
    """Record and route one event about `subject_id` (a job, a payment ...) for its owner."""
    return publish(NotificationStore(session), user_id, event_type, data, subject_id)


def publish(store: NotificationStore, user_id: uuid.UUID, event_type: str, data: dict, subject_id: str) -> uuid.UUID:
    """publish_event over the notifications' store (a fake one in the unit tests)."""
    now = datetime.now(UTC)
    event_id = uuid.uuid4()
    chosen = _channels(store, user_id, event_type)
    title, body = render(event_type, data)
    payload_data = {**data, "id": subject_id}
    notification_id = None
    if chosen["in_app"]:
        notification_id = uuid.uuid4()
        store.add(
            Notification(
                id=notification_id,
                user_id=user_id,
                event_id=event_id,
                type=event_type,
                title=title,
                body=body,
                data=payload_data,
                created_at=now,
            )
        )
    # A closed account's address is a placeholder: nothing is e-mailed to it.
    email = store.open_email(user_id) if chosen["email"] else None
    store.add_message(
        DomainEvent(
            id=str(event_id),
            type=event_type,
            user_id=str(user_id),
            occurred_at=now.isoformat(),
            title=title,
            body=body,
            data=payload_data,
            notification_id=notification_id and str(notification_id),
            realtime=chosen["realtime"],
            email=email,
        ),
    )
    _deliveries(store, user_id, event_id, event_type, payload_data, now)
    return event_id


def publish_all(session, events: list[tuple[uuid.UUID, str, dict, str]]) -> None:
    """publish_event for each (user id, event type, data, subject id), in order, as one batch: publish itself
    composes every row and message, over a store whose reads were made for the whole batch (the choices, the
    addresses and the endpoints, one statement each) and whose notifications and messages are written in one
    statement each. Per event that was up to five statements and an ORM flush: most of a finished report's CPU."""
    if not events:
        return
    batch = _Batch(NotificationStore(session), events)
    for user_id, event_type, data, subject_id in events:
        publish(batch, user_id, event_type, data, subject_id)
    batch.write()


class _Batch:
    """A NotificationStore for publish: reads answered from a few reads for the whole batch, writes kept."""

    def __init__(self, store: NotificationStore, events: list[tuple[uuid.UUID, str, dict, str]]):
        self._store = store
        self._users = {user_id for user_id, *_ in events}
        self._choices = store.choices_of({(user_id, event_type) for user_id, event_type, *_ in events})
        self._endpoints = store.endpoints_of(self._users, {event_type for _, event_type, *_ in events})
        self._emails: dict | None = None
        self._notifications: list[Notification] = []
        self._messages: list = []

    def choices(self, user_id: uuid.UUID, event_type: str) -> dict[str, bool]:
        return self._choices.get((user_id, event_type), {})

    def open_email(self, user_id: uuid.UUID) -> str | None:
        if self._emails is None:  # most events e-mail nobody: read the addresses once, on the first that does
            self._emails = self._store.open_emails(self._users)
        return self._emails.get(user_id)

    def subscribed_endpoints(self, user_id: uuid.UUID, event_type: str) -> list:
        return [e for e in self._endpoints if e.user_id == user_id and event_type in e.event_types]

    def add(self, record) -> None:
        if isinstance(record, Notification):
            self._notifications.append(record)
        else:  # a webhook delivery: rare, through the session
            self._store.add(record)

    def add_message(self, message) -> None:
        self._messages.append(message)

    def write(self) -> None:
        self._store.add_notifications(self._notifications)
        self._store.add_messages(self._messages)


def _channels(store: NotificationStore, user_id: uuid.UUID, event_type: str) -> dict[str, bool]:
    chosen = {channel: default_enabled(event_type, channel) for channel in CHANNELS}
    chosen.update(store.choices(user_id, event_type))
    return chosen


def _deliveries(
    store: NotificationStore, user_id: uuid.UUID, event_id: uuid.UUID, event_type: str, data: dict, now
) -> None:
    for endpoint in store.subscribed_endpoints(user_id, event_type):
        delivery_id = uuid.uuid4()
        store.add(
            WebhookDelivery(
                id=delivery_id,
                endpoint_id=endpoint.id,
                event_id=event_id,
                event_type=event_type,
                status="pending",
                attempts=0,
                created_at=now,
                updated_at=now,
            )
        )
        payload = {"id": str(event_id), "type": event_type, "timestamp": now.isoformat(), "data": data}
        store.add_message(
            DeliverWebhook(
                delivery_id=str(delivery_id),
                endpoint_id=str(endpoint.id),
                url=endpoint.url,
                secret=endpoint.secret,
                event_id=str(event_id),
                event_type=event_type,
                payload=payload,
                first_attempt_at=now.isoformat(),
            ),
        )
