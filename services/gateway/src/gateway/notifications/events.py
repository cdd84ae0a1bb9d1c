"""Publishing domain events: recorded in the outbox with the change that caused them, routed per the owner's choices.

Called inside the transaction of the change. It records the in-app
notification (once: the event id is unique), writes the DomainEvent for the
notifier (push, e-mail) and one DeliverWebhook per subscribed customer
endpoint, all to the outbox, so all of it happens exactly when the change
commits.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy import any_, select

from gateway.accounts.models import User
from gateway.notifications.models import Notification, NotificationPreference, WebhookDelivery, WebhookEndpoint
from gateway.notifications.rules import CHANNELS, default_enabled, render
from gateway.platform.outbox import add_message
from shared.messages import DeliverWebhook, DomainEvent


def publish_event(session, user_id: uuid.UUID, event_type: str, data: dict, subject_id: str) -> uuid.UUID:
    """Record and route one event about `subject_id` (a job, a payment ...) for its owner."""
    now = datetime.now(UTC)
    event_id = uuid.uuid4()
    chosen = _channels(session, user_id, event_type)
    title, body = render(event_type, data)
    payload_data = {**data, "id": subject_id}
    notification_id = None
    if chosen["in_app"]:
        notification_id = uuid.uuid4()
        session.add(
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
    mailbox = select(User.email).where(User.id == user_id, User.closed_at.is_(None))
    email = session.scalar(mailbox) if chosen["email"] else None
    add_message(
        session,
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
    _deliveries(session, user_id, event_id, event_type, payload_data, now)
    return event_id


def _channels(session, user_id: uuid.UUID, event_type: str) -> dict[str, bool]:
    chosen = {channel: default_enabled(event_type, channel) for channel in CHANNELS}
    rows = session.execute(
        select(NotificationPreference.channel, NotificationPreference.enabled).where(
            NotificationPreference.user_id == user_id, NotificationPreference.event_type == event_type
        )
    )
    chosen.update(dict(rows.all()))
    return chosen


def _deliveries(session, user_id: uuid.UUID, event_id: uuid.UUID, event_type: str, data: dict, now) -> None:
    endpoints = session.scalars(
        select(WebhookEndpoint).where(
            WebhookEndpoint.user_id == user_id,
            WebhookEndpoint.enabled,
            any_(WebhookEndpoint.event_types) == event_type,
        )
    )
    for endpoint in endpoints:
        delivery_id = uuid.uuid4()
        session.add(
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
        add_message(
            session,
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
