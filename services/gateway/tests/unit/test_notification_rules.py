"""Notifications through fake stores: how an event is routed, preferences, the endpoint limit and ownership,
and the notifier's reports applied once."""

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from fake_notifications import FakeEndpointStore, FakeNotificationStore
from fake_reports import FakeReceiptStore
from fake_uow import FakeUnitOfWork

from gateway.notifications import endpoints, service
from gateway.notifications.events import publish
from gateway.notifications.models import Notification, WebhookDelivery
from gateway.notifications.reports import record_notifier_reports
from gateway.platform.errors import InvalidInput, NotFound
from shared.messages import DeliverWebhook, DomainEvent

USER, OTHER, CLOSED = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
NOW = datetime.now(UTC)


def hook(user_id, *event_types, enabled=True):
    return SimpleNamespace(
        id=uuid.uuid4(), user_id=user_id, url="https://example.com/h", secret="s", event_types=event_types,
        enabled=enabled,
    )  # fmt: skip


@pytest.fixture
def inbox():
    return FakeNotificationStore({USER: "user@example.com", OTHER: "other@example.com", CLOSED: None})


def test_an_event_goes_in_app_realtime_and_by_email_when_the_owner_has_not_chosen(inbox):
    publish(inbox, USER, "job.failed", {"reason": "late"}, "job-1")
    [notification] = inbox.added
    [event] = inbox.messages
    assert isinstance(notification, Notification) and notification.data == {"reason": "late", "id": "job-1"}
    assert isinstance(event, DomainEvent) and event.notification_id == str(notification.id)
    assert (event.realtime, event.email) == (True, "user@example.com")


def test_the_owners_choices_turn_channels_off_and_a_closed_account_gets_no_email(inbox):
    inbox.stored[(USER, "job.failed", "in_app")] = False
    publish(inbox, USER, "job.failed", {}, "job-1")
    publish(inbox, CLOSED, "job.failed", {}, "job-2")
    publish(inbox, USER, "job.completed", {}, "job-3")  # good news is not e-mailed unless asked for
    mine, closed, quiet = inbox.messages
    assert (mine.notification_id, mine.email) == (None, "user@example.com")
    assert closed.email is None and quiet.email is None
    assert len(inbox.added) == 2  # the closed account's and job.completed's in-app notices


def test_an_event_reaches_only_the_owners_enabled_endpoints_that_take_it():
    wanted = hook(USER, "job.failed")
    others = [hook(USER, "job.completed"), hook(USER, "job.failed", enabled=False), hook(OTHER, "job.failed")]
    inbox = FakeNotificationStore({USER: "user@example.com"}, [wanted, *others])
    event_id = publish(inbox, USER, "job.failed", {}, "job-1")
    deliveries = [r for r in inbox.added if isinstance(r, WebhookDelivery)]
    sent = [m for m in inbox.messages if isinstance(m, DeliverWebhook)]
    assert [d.endpoint_id for d in deliveries] == [wanted.id]
    assert [(m.endpoint_id, m.event_id, m.delivery_id) for m in sent] == [
        (str(wanted.id), str(event_id), str(deliveries[0].id))
    ]


def test_preferences_take_the_later_choice_and_an_unknown_event_type_changes_nothing(inbox):
    uow = FakeUnitOfWork(inbox)
    choices = [{"event_type": "job.failed", "email": False}, {"event_type": "job.failed", "email": True}]
    answer = service.set_preferences(uow, USER, choices)
    assert next(p for p in answer if p["event_type"] == "job.failed")["email"] is True
    with pytest.raises(InvalidInput):
        service.set_preferences(uow, USER, [{"event_type": "job.failed", "email": False}, {"event_type": "nope"}])
    assert inbox.stored == {(USER, "job.failed", "email"): True}


@pytest.fixture
def hooks():
    return FakeEndpointStore()


def register(uow, user_id=USER):
    return endpoints.create_endpoint(uow, user_id, "http://127.0.0.1:9/h", ["job.failed"], "", allow_private=True)


def test_a_user_has_at_most_the_limit_of_endpoints(hooks):
    uow = FakeUnitOfWork(hooks)
    for _ in range(endpoints.MAX_ENDPOINTS_PER_USER):
        register(uow)
    with pytest.raises(InvalidInput):
        register(uow)
    register(uow, OTHER)  # the limit is per user
    assert hooks.count(USER) == endpoints.MAX_ENDPOINTS_PER_USER


@pytest.mark.parametrize("use", [endpoints.get_endpoint, endpoints.delete_endpoint, endpoints.send_test])
def test_another_users_or_a_malformed_endpoint_id_is_a_404_and_changes_nothing(hooks, use):
    uow = FakeUnitOfWork(hooks)
    mine = register(uow)
    for raw_id in (str(mine.id), "not-a-uuid", str(uuid.uuid4())):
        with pytest.raises(NotFound):
            use(uow, OTHER, raw_id)
    assert list(hooks.endpoints_by_id) == [mine.id] and hooks.deliveries == {} and hooks.messages == []


def notifier(hooks, webhook_id, *reports):
    uow = FakeUnitOfWork(FakeReceiptStore(), hooks)
    return [r["result"] for r in record_notifier_reports(uow, webhook_id, list(reports))["results"]]


def attempt(report_id, endpoint, delivery, number, outcome):
    data = {"delivery_id": str(delivery.id), "attempt": number, "outcome": outcome, "status_code": 500}
    return {"id": report_id, "type": "delivery.attempted", "endpoint_id": str(endpoint.id), "occurred_at": NOW,
            "data": data}  # fmt: skip


def test_a_disabled_endpoint_is_told_once_and_each_attempt_counts_once(hooks):
    uow = FakeUnitOfWork(hooks)
    mine = register(uow)
    delivery = endpoints.send_test(uow, USER, str(mine.id))
    gone = {"id": "r1", "type": "endpoint.disabled", "endpoint_id": str(mine.id), "data": {"reason": "410"}}
    assert notifier(hooks, "w1", gone, {**gone, "id": "r2"}) == ["applied", "applied"]
    assert [t[1] for t in hooks.told] == ["endpoint.disabled"] and hooks.endpoint(mine.id).enabled is False
    first = attempt("a1", mine, delivery, 1, "failed")
    assert notifier(hooks, "w2", first, first, attempt("a2", mine, delivery, 2, "retrying")) == [
        "applied",
        "duplicate",
        "applied",
    ]
    stored = hooks.deliveries[delivery.id]
    assert (stored.status, stored.attempts) == ("failed", 1)  # a final outcome is never overwritten by a later one
    assert hooks.endpoint(mine.id).failing_since is not None
