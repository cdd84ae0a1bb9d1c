"""Applying the notifier's signed reports: each delivery attempt recorded once; endpoints disabled when gone."""

import uuid
from datetime import datetime
from typing import Any

from gateway.notifications.endpoints_store import EndpointStore
from gateway.notifications.models import WebhookEndpoint
from gateway.platform.db import UnitOfWork
from gateway.platform.receipts import apply_once

FINAL = {"delivered", "failed", "gone"}


def record_notifier_reports(uow: UnitOfWork, webhook_id: str, reports: list[dict]) -> dict[str, Any]:
    def apply(_session, now) -> dict:
        store = uow.store(EndpointStore)
        return {"results": [{"id": r["id"], "result": _apply(store, r, now)} for r in reports]}

    return apply_once(uow, webhook_id, "notifier", apply)


def _apply(store: EndpointStore, report: dict, now: datetime) -> str:
    endpoint = store.lock_endpoint(report["endpoint_id"])
    if endpoint is None:
        return "not_found"
    if report["type"] == "endpoint.disabled":
        if endpoint.enabled:
            endpoint.enabled, endpoint.disabled_at = False, now
            endpoint.disabled_reason = (report["data"].get("reason") or "disabled by the notifier")[:500]
            endpoint.updated_at = now
            facts = {"url": endpoint.url, "reason": endpoint.disabled_reason}
            store.publish(endpoint.user_id, "endpoint.disabled", facts, str(endpoint.id))
        return "applied"
    return _attempted(store, endpoint, report, now)


def _attempted(store: EndpointStore, endpoint: WebhookEndpoint, report: dict, now: datetime) -> str:
    data = report["data"]
    delivery = store.lock_delivery(uuid.UUID(str(data["delivery_id"])))
    if delivery is None or delivery.endpoint_id != endpoint.id:
        return "not_found"
    if store.add_attempt(report["id"], delivery.id, data, report["occurred_at"]) is None:
        return "duplicate"
    if delivery.status not in FINAL and data["attempt"] >= delivery.attempts:
        delivery.status, delivery.attempts = data["outcome"], data["attempt"]
        delivery.last_status_code, delivery.updated_at = data.get("status_code"), now
    if data["outcome"] == "delivered":
        endpoint.failing_since = None
    elif endpoint.failing_since is None:
        endpoint.failing_since = now
    return "applied"
