"""Reports payment outcomes to the gateway as signed webhooks; the verdict decides the ack."""

import json
import logging

from shared.amqp.outcomes import Ack, DeadLetter, Outcome, Retry
from shared.messages import PaymentEvent
from shared.webhooks.sender import WebhookRejected, WebhookSender

log = logging.getLogger(__name__)
PAYMENTS_WEBHOOK_PATH = "/api/webhooks/payments"


class GatewayReporter:
    """Posts `{"events": [...]}` to the gateway, waiting out its outages (the message stays unacked)."""

    def __init__(self, sender: WebhookSender, path: str = PAYMENTS_WEBHOOK_PATH):
        self._sender = sender
        self._path = path

    def deliver(self, event: PaymentEvent) -> Outcome:
        """Ack once the gateway accepted `event`; dead-letter what it refuses for good."""
        body = json.dumps({"events": [event.to_dict()]}, ensure_ascii=False).encode()
        try:
            answer = self._sender.post(self._path, body)
        except WebhookRejected as exc:
            if exc.status == 0:  # shutting down: the broker redelivers the message
                return Retry(f"stopped before the gateway accepted {event.id}")
            return DeadLetter(f"the gateway refused {event.id}: {exc}")
        verdict = _verdict(answer, event.id)
        if verdict == "not_found":
            return DeadLetter(f"the gateway has no payment {event.payment_id}")
        log.info("reported %s (%s)", event.id, verdict)
        return Ack()


def _verdict(answer: object, event_id: str) -> str:
    """The gateway's result for `event_id` ('applied', 'stale', ...), or 'accepted' if it gave none."""
    results = answer.get("results") if isinstance(answer, dict) else None
    for result in results if isinstance(results, list) else []:
        if isinstance(result, dict) and result.get("id") == event_id:
            return str(result.get("result"))
    return "accepted"
