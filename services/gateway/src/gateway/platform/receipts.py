"""Signed webhooks applied once: the first delivery of a webhook id runs, a replay gets its answer back."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from gateway.platform.db import UnitOfWork
from gateway.platform.receipts_store import ReceiptStore


def apply_once(uow: UnitOfWork, webhook_id: str, source: str, apply: Callable[[Any, datetime], dict]) -> dict:
    """Run `apply(session, now)` in one transaction with the receipt of `webhook_id`, or replay its answer."""
    now = datetime.now(UTC)
    with uow as session:
        receipts = uow.store(ReceiptStore)
        if not receipts.claim(webhook_id, source, now):
            return {**receipts.answer(webhook_id), "replayed": True}
        response = {"webhook_id": webhook_id, **apply(session, now)}
        receipts.keep_answer(webhook_id, response)
        uow.commit()
        return {**response, "replayed": False}
