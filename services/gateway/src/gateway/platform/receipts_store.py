"""The SQL of webhook receipts: a webhook id claimed once, with the answer a replay gets back."""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert

from gateway.platform.receipt_models import WebhookReceipt


class ReceiptStore:
    """Plain methods over webhook_receipts, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def claim(self, webhook_id: str, source: str, now: datetime) -> bool:
        """Whether this delivery is the first of `webhook_id` (the row stays locked until the transaction ends)."""
        claimed = self._session.execute(
            insert(WebhookReceipt)
            .values(webhook_id=webhook_id, source=source, received_at=now)
            .on_conflict_do_nothing()
            .returning(WebhookReceipt.webhook_id)
        ).scalar()
        return claimed is not None

    def answer(self, webhook_id: str) -> dict:
        """The answer given to the first delivery of `webhook_id`."""
        return self._session.get(WebhookReceipt, webhook_id).response or {}

    def keep_answer(self, webhook_id: str, response: dict) -> None:
        self._session.execute(
            update(WebhookReceipt).where(WebhookReceipt.webhook_id == webhook_id).values(response=response)
        )
