"""Signed webhooks applied once: the first delivery of a webhook id runs, a replay gets its answer back."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert

from gateway.platform.db import UnitOfWork
from gateway.platform.receipt_models import WebhookReceipt


def apply_once(uow: UnitOfWork, webhook_id: str, source: str, apply: Callable[[Any, datetime], dict]) -> dict:
    """Run `apply(session, now)` in one transaction with the receipt of `webhook_id`, or replay its answer."""
    now = datetime.now(UTC)
    with uow as session:
        claimed = session.execute(
            insert(WebhookReceipt)
            .values(webhook_id=webhook_id, source=source, received_at=now)
            .on_conflict_do_nothing()
            .returning(WebhookReceipt.webhook_id)
        ).scalar()
        if claimed is None:
            return {**(session.get(WebhookReceipt, webhook_id).response or {}), "replayed": True}
        response = {"webhook_id": webhook_id, **apply(session, now)}
        session.execute(update(WebhookReceipt).where(WebhookReceipt.webhook_id == webhook_id).values(response=response))
        uow.commit()
        return {**response, "replayed": False}
