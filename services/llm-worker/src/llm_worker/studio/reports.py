"""Posts the studio's webhook reports to the gateway; the verdict on a final report decides the ack."""

import json
import logging

from shared.amqp.outcomes import DeadLetter, Outcome, Retry
from shared.messages.styles import WebhookReport
from shared.webhooks.sender import WebhookRejected, WebhookSender

log = logging.getLogger(__name__)
MAX_ID_LENGTH = 128


class StudioReporter:
    """One family's reports (training or inference), signed with that family's secret."""

    def __init__(self, sender: WebhookSender):
        self._sender = sender

    def _send(self, report: WebhookReport) -> None:
        body = json.dumps(report.body(), ensure_ascii=False).encode()
        self._sender.send(report.METHOD, report.PATH, body)

    def progress(self, report: WebhookReport) -> None:
        """Best effort: a refused progress report is logged, the work goes on."""
        try:
            self._send(report)
        except WebhookRejected as exc:
            log.warning("the gateway refused a progress report (%s): %s", report.PATH, exc)

    def final(self, report: WebhookReport, outcome: Outcome) -> Outcome:
        """`outcome` once the gateway accepted (2xx) `report`; dead-letter what it refuses for good."""
        try:
            self._send(report)
        except WebhookRejected as exc:
            if exc.status == 0:  # shutting down: the broker redelivers the message
                return Retry(f"stopped before the gateway accepted {report.PATH}")
            return DeadLetter(f"the gateway refused {report.PATH} ({exc.status}): {exc}")
        return outcome


def salvage_id(body: bytes, field: str) -> str | None:
    """The id a broken message is about, if it names one, so its failure can still be reported."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return None
    value = data.get(field) if isinstance(data, dict) else None
    return value if isinstance(value, str) and 0 < len(value) <= MAX_ID_LENGTH else None
