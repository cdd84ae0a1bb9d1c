"""DomainEvent on `notifier.events`: done once per event, however many replicas and redeliveries.

It appends the event to its owner's push stream, on the consumer's single
handler thread so appends follow delivery order (the queue has one active
consumer), and e-mails it, when the gateway gave an address, on a pool of its
own: a slow SMTP server delays e-mails, never the stream.
"""

import logging
import smtplib
from concurrent.futures import Executor, Future

from notifier.ledger import BUSY, DONE, MailLedger
from notifier.mail import Mailer, compose
from notifier.stream import EventStream
from shared.amqp.outcomes import Ack, DeadLetter, Delivery, Outcome, Retry
from shared.messages import DomainEvent
from shared.messages.base import MessageError, decode

log = logging.getLogger(__name__)


class DomainEventHandler:
    """Append for push (once, keyed by event id), then e-mail (sending -> sent, keyed by event id)."""

    def __init__(
        self,
        stream: EventStream,
        mailer: Mailer,
        ledger: MailLedger,
        mail_from: str,
        app_url: str,
        mail_pool: Executor,
    ):
        self._stream = stream
        self._mailer = mailer
        self._ledger = ledger
        self._mail_from = mail_from
        self._app_url = app_url
        self._mail_pool = mail_pool

    def __call__(self, delivery: Delivery) -> "Outcome | Future[Outcome]":
        try:
            event = decode(DomainEvent, delivery.body)
        except MessageError as exc:
            return DeadLetter(str(exc))
        if event.realtime:
            self._stream.append_once(event)
        if event.email:
            return self._mail_pool.submit(self.email, event)
        return Ack()

    def email(self, event: DomainEvent) -> Outcome:
        # Another copy is sending it (or died doing so, and its claim runs out): a rare wait, not a retry.
        state = self._ledger.wait_claim(event.id, self._ledger.claim_seconds + 1)
        if state == DONE:
            log.info("e-mail for event %s was sent before; not again", event.id)
            return Ack()
        if state == BUSY:
            return Retry(f"the e-mail for event {event.id} is being sent by another consumer")
        try:
            self._mailer.send(compose(event, self._mail_from, self._app_url))
        except smtplib.SMTPRecipientsRefused as exc:
            self._ledger.mark_sent(event.id)  # a refused address will not get better by retrying
            log.warning("e-mail for event %s refused by the server: %s", event.id, exc)
            return Ack()
        except (smtplib.SMTPException, OSError) as exc:
            self._ledger.release(event.id)
            return Retry(f"e-mail for event {event.id} not sent: {exc!r}")
        self._ledger.mark_sent(event.id)
        log.info("e-mailed event %s (%s)", event.id, event.type)
        return Ack()
