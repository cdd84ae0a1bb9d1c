"""Use cases of customer webhook endpoints: register (secret shown once), list, delete, test, deliveries."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from gateway.notifications.endpoints_store import EndpointStore
from gateway.notifications.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import InvalidInput, NotFound
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
    with uow:
        store = uow.store(EndpointStore)
        if store.count(user_id) >= MAX_ENDPOINTS_PER_USER:
            raise InvalidInput(f"At most {MAX_ENDPOINTS_PER_USER} endpoints per user; delete one first.")
        store.add(record)
        uow.commit()
    return CreatedEndpoint(record)


def list_endpoints(uow: UnitOfWork, user_id: uuid.UUID) -> list[WebhookEndpoint]:
    with uow:
        return uow.store(EndpointStore).endpoints(user_id)


def get_endpoint(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> WebhookEndpoint:
    with uow:
        return _own(uow.store(EndpointStore), user_id, raw_id)


def delete_endpoint(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> None:
    with uow:
        store = uow.store(EndpointStore)
        store.delete(_own(store, user_id, raw_id))
        uow.commit()


def send_test(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> WebhookDelivery:
    """A `webhook.test` event to this endpoint only, delivered like any other (signed, retried, recorded)."""
    now = datetime.now(UTC)
    with uow:
        store = uow.store(EndpointStore)
        endpoint = _own(store, user_id, raw_id)
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
        store.add(record)
        payload = {"id": str(event_id), "type": "webhook.test", "timestamp": now.isoformat(), "data": {"test": True}}
        store.add_message(
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
    with uow:
        store = uow.store(EndpointStore)
        endpoint = _own(store, user_id, raw_id)
        deliveries = store.deliveries(endpoint.id, limit)
        attempts: dict[uuid.UUID, list] = {d.id: [] for d in deliveries}
        if deliveries:
            for attempt in store.attempts(attempts):
                attempts[attempt.delivery_id].append(attempt)
        return [DeliveryView(d, attempts[d.id]) for d in deliveries]


def _own(store: EndpointStore, user_id: uuid.UUID, raw_id: str) -> WebhookEndpoint:
    try:
        endpoint_id = uuid.UUID(raw_id)
    except ValueError:
        raise NotFound(f"'{raw_id[:64]}' is not an endpoint id (ids are UUIDs)") from None
    endpoint = store.endpoint(endpoint_id)
    if endpoint is None or endpoint.user_id != user_id:
        raise NotFound(f"no webhook endpoint with id {endpoint_id}")
    return endpoint
