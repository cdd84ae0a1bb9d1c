"""The SQL of webhook receipts: a webhook id claimed once, with the answer a replay gets back."""

from datetime import datetime

import orjson

from gateway.platform.db import driver_connection
from gateway.platform.receipt_models import WebhookReceipt

# Driver-level: built through SQLAlchemy these two cost more CPU than a small batch's own work (a careers webhook of
# one report: ~0.9 of its ~4.5 ms).
CLAIM_SQL = (
    "INSERT INTO webhook_receipts (webhook_id, source, received_at) VALUES (%(webhook_id)s, %(source)s, %(now)s) "
    "ON CONFLICT DO NOTHING RETURNING webhook_id"
)
KEEP_ANSWER_SQL = "UPDATE webhook_receipts SET response = %(response)s::jsonb WHERE webhook_id = %(webhook_id)s"


class ReceiptStore:
    """Plain methods over webhook_receipts, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def claim(self, webhook_id: str, source: str, now: datetime) -> bool:
        """Whether this delivery is the first of `webhook_id` (the row stays locked until the transaction ends)."""
        params = {"webhook_id": webhook_id, "source": source, "now": now}
        return self._driver().execute(CLAIM_SQL, params, prepare=True).fetchone() is not None

    def answer(self, webhook_id: str) -> dict:
        """The answer given to the first delivery of `webhook_id`."""
        return self._session.get(WebhookReceipt, webhook_id).response or {}

    def keep_answer(self, webhook_id: str, response: dict) -> None:
        params = {"webhook_id": webhook_id, "response": orjson.dumps(response, option=orjson.OPT_NON_STR_KEYS).decode()}
        self._driver().execute(KEEP_ANSWER_SQL, params, prepare=True)

    def _driver(self):
        return driver_connection(self._session)
