"""Applying the notifier's signed reports: each delivery attempt recorded once; endpoints disabled when gone."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert

from gateway.notifications.events import publish_event
from gateway.notifications.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from gateway.platform.db import UnitOfWork
from gateway.platform.receipts import apply_once

FINAL = {"delivered", "failed", "gone"}


def record_notifier_reports(uow: UnitOfWork, webhook_id: str, reports: list[dict]) -> dict[str, Any]:
    def apply(session, now) -> dict:
        return {"results": [{"id": r["id"], "result": _apply(session, r, now)} for r in reports]}

    return apply_once(uow, webhook_id, "notifier", apply)


def _apply(session, report: dict, now: datetime) -> str:
    endpoint = session.get(WebhookEndpoint, report["endpoint_id"], with_for_update=True)
    if endpoint is None:
        return "not_found"
    if report["type"] == "endpoint.disabled":
        if endpoint.enabled:
            endpoint.enabled, endpoint.disabled_at = False, now
            endpoint.disabled_reason = (report["data"].get("reason") or "disabled by the notifier")[:500]
            endpoint.updated_at = now
            facts = {"url": endpoint.url, "reason": endpoint.disabled_reason}
            publish_event(session, endpoint.user_id, "endpoint.disabled", facts, str(endpoint.id))
        return "applied"
    return _attempted(session, endpoint, report, now)


def _attempted(session, endpoint: WebhookEndpoint, report: dict, now: datetime) -> str:
    data = report["data"]
    delivery = session.get(WebhookDelivery, uuid.UUID(str(data["delivery_id"])), with_for_update=True)
    if delivery is None or delivery.endpoint_id != endpoint.id:
        return "not_found"
    inserted = session.execute(
        insert(WebhookAttempt)
        .values(
            report_id=report["id"],
            delivery_id=delivery.id,
            attempt=data["attempt"],
            status_code=data.get("status_code"),
            latency_ms=data.get("latency_ms"),
            error=(data.get("error") or None) and data["error"][:500],
            outcome=data["outcome"],
            attempted_at=report["occurred_at"],
        )
        .on_conflict_do_nothing()
        .returning(WebhookAttempt.id)
    ).scalar()
    if inserted is None:
        return "duplicate"
    if delivery.status not in FINAL and data["attempt"] >= delivery.attempts:
        delivery.status, delivery.attempts = data["outcome"], data["attempt"]
        delivery.last_status_code, delivery.updated_at = data.get("status_code"), now
    if data["outcome"] == "delivered":
        endpoint.failing_since = None
    elif endpoint.failing_since is None:
        endpoint.failing_since = now
    return "applied"
