"""Use cases of customer webhook endpoints: register (secret shown once), list, delete, test, deliveries."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from gateway.notifications.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import InvalidInput, NotFound
from gateway.platform.outbox import add_message
from shared.messages import DeliverWebhook
from shared.messages.events import EVENT_TYPES
from shared.webhooks import generate_secret
from shared.webhooks.ssrf import UnsafeUrl, check_url

MAX_ENDPOINTS_PER_USER = 20


@dataclass(frozen=True)
class CreatedEndpoint:
    record: WebhookEndpoint

    def __getattr__(self, name: str):  # reads like the record, including its secret (this once)
        return getattr(self.record, name)


def create_endpoint(
    uow: UnitOfWork, user_id: uuid.UUID, url: str, event_types: list[str], description: str, allow_private: bool
) -> CreatedEndpoint:
    try:
        check_url(url, allow_private=allow_private)
    except UnsafeUrl as error:
        raise InvalidInput(f"This URL cannot receive webhooks: {error}.", "url") from None
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown:
        raise InvalidInput(f"Unknown event types {unknown}; known: {list(EVENT_TYPES)}.", "event_types")
    now = datetime.now(UTC)
    record = WebhookEndpoint(
        id=uuid.uuid4(),
        user_id=user_id,
        url=url,
        description=description,
        event_types=sorted(set(event_types)),
        secret=generate_secret(),
        enabled=True,
        created_at=now,
        updated_at=now,
    )
    with uow as session:
        count = session.scalar(select(func.count()).where(WebhookEndpoint.user_id == user_id))
        if count >= MAX_ENDPOINTS_PER_USER:
            raise InvalidInput(f"At most {MAX_ENDPOINTS_PER_USER} endpoints per user; delete one first.")
        session.add(record)
        uow.commit()
    return CreatedEndpoint(record)


def list_endpoints(uow: UnitOfWork, user_id: uuid.UUID) -> list[WebhookEndpoint]:
    with uow as session:
        query = select(WebhookEndpoint).where(WebhookEndpoint.user_id == user_id).order_by(WebhookEndpoint.created_at)
        return list(session.scalars(query))


def get_endpoint(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> WebhookEndpoint:
    with uow as session:
        return _own(session, user_id, raw_id)


def delete_endpoint(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> None:
    with uow as session:
        session.delete(_own(session, user_id, raw_id))
        uow.commit()


def send_test(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> WebhookDelivery:
    """A `webhook.test` event to this endpoint only, delivered like any other (signed, retried, recorded)."""
    now = datetime.now(UTC)
    with uow as session:
        endpoint = _own(session, user_id, raw_id)
        event_id, delivery = uuid.uuid4(), uuid.uuid4()
        record = WebhookDelivery(
            id=delivery,
            endpoint_id=endpoint.id,
            event_id=event_id,
            event_type="webhook.test",
            status="pending",
            attempts=0,
            created_at=now,
            updated_at=now,
        )
        session.add(record)
        payload = {"id": str(event_id), "type": "webhook.test", "timestamp": now.isoformat(), "data": {"test": True}}
        add_message(
            session,
            DeliverWebhook(
                delivery_id=str(delivery),
                endpoint_id=str(endpoint.id),
                url=endpoint.url,
                secret=endpoint.secret,
                event_id=str(event_id),
                event_type="webhook.test",
                payload=payload,
                first_attempt_at=now.isoformat(),
            ),
        )
        uow.commit()
        return record


@dataclass(frozen=True)
class DeliveryView:
    """A delivery with its attempts."""

    delivery: WebhookDelivery
    attempts: list[WebhookAttempt]

    def __getattr__(self, name: str):
        return getattr(self.delivery, name)


def list_deliveries(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str, limit: int) -> list[DeliveryView]:
    """The endpoint's latest deliveries, each with its attempts in order."""
    with uow as session:
        endpoint = _own(session, user_id, raw_id)
        deliveries = list(
            session.scalars(
                select(WebhookDelivery)
                .where(WebhookDelivery.endpoint_id == endpoint.id)
                .order_by(WebhookDelivery.created_at.desc())
                .limit(limit)
            )
        )
        attempts: dict[uuid.UUID, list] = {d.id: [] for d in deliveries}
        if deliveries:
            query = (
                select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(attempts)).order_by(WebhookAttempt.attempt)
            )
            for attempt in session.scalars(query):
                attempts[attempt.delivery_id].append(attempt)
        return [DeliveryView(d, attempts[d.id]) for d in deliveries]


def _own(session, user_id: uuid.UUID, raw_id: str) -> WebhookEndpoint:
    try:
        endpoint_id = uuid.UUID(raw_id)
    except ValueError:
        raise NotFound(f"'{raw_id[:64]}' is not an endpoint id (ids are UUIDs)") from None
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.user_id != user_id:
        raise NotFound(f"no webhook endpoint with id {endpoint_id}")
    return endpoint
