"""The notifications' stores in memory: the same methods as NotificationStore and EndpointStore."""

import uuid
from types import SimpleNamespace

from gateway.notifications.endpoints_store import EndpointStore
from gateway.notifications.store import NotificationStore


class FakeNotificationStore:
    port = NotificationStore

    def __init__(self, emails: dict[uuid.UUID, str | None] = (), endpoints: list[SimpleNamespace] = ()):
        self.emails = dict(emails)  # user -> address, None when the account is closed
        self.endpoints = list(endpoints)
        self.stored: dict[tuple[uuid.UUID, str, str], bool] = {}  # (user, event type, channel) -> enabled
        self.added: list = []
        self.messages: list = []

    def preferences(self, user_id: uuid.UUID) -> dict[tuple[str, str], bool]:
        return {(t, c): on for (u, t, c), on in self.stored.items() if u == user_id}

    def set_preferences(self, rows: list[dict]) -> None:
        keys = [(r["user_id"], r["event_type"], r["channel"]) for r in rows]
        assert len(keys) == len(set(keys)), "an upsert may not touch a row twice"
        self.stored.update({key: row["enabled"] for key, row in zip(keys, rows, strict=True)})

    def choices(self, user_id: uuid.UUID, event_type: str) -> dict[str, bool]:
        return {c: on for (u, t, c), on in self.stored.items() if (u, t) == (user_id, event_type)}

    def add(self, record) -> None:
        self.added.append(record)

    def open_email(self, user_id: uuid.UUID) -> str | None:
        return self.emails.get(user_id)

    def subscribed_endpoints(self, user_id: uuid.UUID, event_type: str) -> list[SimpleNamespace]:
        return [e for e in self.endpoints if e.user_id == user_id and e.enabled and event_type in e.event_types]

    def add_message(self, message) -> None:
        self.messages.append(message)


class FakeEndpointStore:
    port = EndpointStore

    def __init__(self):
        self.endpoints_by_id: dict[uuid.UUID, SimpleNamespace] = {}
        self.deliveries: dict[uuid.UUID, SimpleNamespace] = {}
        self.attempt_reports: set = set()
        self.messages: list = []
        self.told: list[tuple] = []

    def count(self, user_id: uuid.UUID) -> int:
        return sum(e.user_id == user_id for e in self.endpoints_by_id.values())

    def add(self, record) -> None:
        # a plain copy of the ORM object's fields: the fake unit of work deep-copies its stores
        fields = SimpleNamespace(**{c.key: getattr(record, c.key) for c in type(record).__table__.columns})
        kept = self.deliveries if hasattr(fields, "event_id") else self.endpoints_by_id
        kept[fields.id] = fields

    def endpoints(self, user_id: uuid.UUID) -> list:
        return [e for e in self.endpoints_by_id.values() if e.user_id == user_id]

    def endpoint(self, endpoint_id: uuid.UUID):
        return self.endpoints_by_id.get(endpoint_id)

    def delete(self, endpoint) -> None:
        del self.endpoints_by_id[endpoint.id]

    def lock_endpoint(self, endpoint_id):
        return self.endpoints_by_id.get(uuid.UUID(str(endpoint_id)))

    def lock_delivery(self, delivery_id: uuid.UUID):
        return self.deliveries.get(delivery_id)

    def add_attempt(self, report_id, delivery_id: uuid.UUID, data: dict, attempted_at) -> int | None:
        if report_id in self.attempt_reports:
            return None
        self.attempt_reports.add(report_id)
        return len(self.attempt_reports)

    def publish(self, user_id: uuid.UUID, event_type: str, facts: dict, subject_id: str) -> None:
        self.told.append((user_id, event_type, facts, subject_id))

    def add_message(self, message) -> None:
        self.messages.append(message)
