"""The customer webhook endpoints' SQL: endpoints, their deliveries and attempts, over one transaction's session."""

import uuid

from sqlalchemy import func, select

from gateway.notifications.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from gateway.platform.outbox import add_message
from shared.messages import Message


class EndpointStore:
    """Plain methods over the endpoints, their deliveries and attempts, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def count(self, user_id: uuid.UUID) -> int:
        """How many endpoints the user has."""
        return self._session.scalar(select(func.count()).where(WebhookEndpoint.user_id == user_id))

    def add(self, record) -> None:
        """A new endpoint or delivery, written on commit."""
        self._session.add(record)

    def endpoints(self, user_id: uuid.UUID) -> list[WebhookEndpoint]:
        """The user's endpoints, oldest first."""
        query = select(WebhookEndpoint).where(WebhookEndpoint.user_id == user_id).order_by(WebhookEndpoint.created_at)
        return list(self._session.scalars(query))

    def endpoint(self, endpoint_id: uuid.UUID) -> WebhookEndpoint | None:
        return self._session.get(WebhookEndpoint, endpoint_id)

    def delete(self, endpoint: WebhookEndpoint) -> None:
        self._session.delete(endpoint)

    def deliveries(self, endpoint_id: uuid.UUID, limit: int) -> list[WebhookDelivery]:
        """The endpoint's latest `limit` deliveries, newest first."""
        return list(
            self._session.scalars(
                select(WebhookDelivery)
                .where(WebhookDelivery.endpoint_id == endpoint_id)
                .order_by(WebhookDelivery.created_at.desc())
                .limit(limit)
            )
        )

    def attempts(self, delivery_ids) -> list[WebhookAttempt]:
        """Every attempt of these deliveries, in attempt order."""
        query = (
            select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(delivery_ids)).order_by(WebhookAttempt.attempt)
        )
        return list(self._session.scalars(query))

    def add_message(self, message: Message) -> None:
        add_message(self._session, message)
