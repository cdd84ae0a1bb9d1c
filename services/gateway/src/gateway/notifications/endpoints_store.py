"""The customer webhook endpoints' SQL: endpoints, their deliveries and attempts, over one transaction's session."""

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from gateway.notifications.events import publish_event
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

    def lock_endpoint(self, endpoint_id) -> WebhookEndpoint | None:
        """The endpoint, row-locked (its changes are written on commit)."""
        return self._session.get(WebhookEndpoint, endpoint_id, with_for_update=True)

    def lock_delivery(self, delivery_id: uuid.UUID) -> WebhookDelivery | None:
        """The delivery, row-locked (its changes are written on commit)."""
        return self._session.get(WebhookDelivery, delivery_id, with_for_update=True)

    def add_attempt(self, report_id, delivery_id: uuid.UUID, data: dict, attempted_at: datetime) -> int | None:
        """Record one delivery attempt; the new attempt's id, or None when that report was recorded before."""
        return self._session.execute(
            insert(WebhookAttempt)
            .values(
                report_id=report_id,
                delivery_id=delivery_id,
                attempt=data["attempt"],
                status_code=data.get("status_code"),
                latency_ms=data.get("latency_ms"),
                error=(data.get("error") or None) and data["error"][:500],
                outcome=data["outcome"],
                attempted_at=attempted_at,
            )
            .on_conflict_do_nothing()
            .returning(WebhookAttempt.id)
        ).scalar()

    def publish(self, user_id: uuid.UUID, event_type: str, facts: dict, subject_id: str) -> None:
        publish_event(self._session, user_id, event_type, facts, subject_id)
