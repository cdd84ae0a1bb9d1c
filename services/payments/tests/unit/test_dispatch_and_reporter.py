"""The registry routes by message type; the reporter turns the gateway's answer into an outcome."""

import json

from payments_fakes import FakeProvider, FakeReporter, InMemoryStore, charge, delivery, refund

from payments import events
from payments.handlers import Dispatcher, registry
from payments.reporter import PAYMENTS_WEBHOOK_PATH, GatewayReporter
from shared.amqp.outcomes import Ack, DeadLetter, Retry
from shared.messages import ChargePayment, RefundPayment
from shared.messages.payments import PAYMENT_EVENT_TYPES
from shared.webhooks.sender import WebhookRejected


class FakeSender:
    """Records posted bodies; answers or raises as told."""

    def __init__(self, answer=None, error: Exception | None = None):
        self.posts: list[tuple[str, dict]] = []
        self.answer = answer if answer is not None else {}
        self.error = error

    def post(self, path: str, body: bytes) -> dict:
        self.posts.append((path, json.loads(body)))
        if self.error:
            raise self.error
        return self.answer


def test_the_registry_lists_every_command():
    handlers = registry(InMemoryStore(), FakeProvider(), FakeReporter())
    assert set(handlers) == {ChargePayment.TYPE, RefundPayment.TYPE}


def test_each_message_goes_to_its_handler_and_unknown_types_are_dead_lettered():
    reporter = FakeReporter()
    dispatch = Dispatcher(registry(InMemoryStore(), FakeProvider(), reporter))

    assert dispatch(delivery(charge())) == Ack()
    assert dispatch(delivery(refund())) == Ack()
    assert [e.type for e in reporter.sent] == ["payment.paid", "payment.refunded"]
    unknown = delivery(charge())
    unknown = type(unknown)(**{**unknown.__dict__, "message_type": "ChargeBitcoin"})
    assert isinstance(dispatch(unknown), DeadLetter)


def test_the_reporter_posts_one_batch_and_acks_on_acceptance():
    event = events.failed("pay-1", "declined", "no")
    sender = FakeSender({"results": [{"id": "pay-1:failed", "result": "applied"}]})

    assert GatewayReporter(sender).deliver(event) == Ack()

    [(path, body)] = sender.posts
    assert path == PAYMENTS_WEBHOOK_PATH and body == {"events": [event.to_dict()]}
    assert body["events"][0]["type"] in PAYMENT_EVENT_TYPES


def test_a_stale_or_duplicate_verdict_is_still_accepted():
    event = events.failed("pay-1", "declined", "no")
    assert GatewayReporter(FakeSender({"results": [{"id": event.id, "result": "stale"}]})).deliver(event) == Ack()


def test_an_unknown_payment_or_a_refused_body_is_dead_lettered():
    event = events.failed("pay-1", "declined", "no")
    not_found = FakeSender({"results": [{"id": event.id, "result": "not_found"}]})
    assert isinstance(GatewayReporter(not_found).deliver(event), DeadLetter)
    refused = FakeSender(error=WebhookRejected(422, "bad event"))
    assert isinstance(GatewayReporter(refused).deliver(event), DeadLetter)


def test_shutting_down_before_acceptance_leaves_the_message_for_redelivery():
    stopped = FakeSender(error=WebhookRejected(0, "sender stopped"))
    assert isinstance(GatewayReporter(stopped).deliver(events.failed("pay-1", "declined", "no")), Retry)
