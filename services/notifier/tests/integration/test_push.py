"""Real-time push on the real broker and Redis: SSE and WebSocket clients of a running notifier."""

import json
import time
import uuid

import pytest
from notifier_clients import SseClient, WsClient, refused
from notifier_stack import declare_fresh, domain_event, publish, publish_many, running, settings_for


def user() -> str:
    return str(uuid.uuid4())


def test_sse_client_gets_its_users_event_and_nobody_elses(notifier, amqp_url, push_loop, signing_key):
    alice, bob = user(), user()
    alices = SseClient(push_loop, notifier.url, signing_key.token(alice)).start()
    bobs = SseClient(push_loop, notifier.url, signing_key.token(bob), via_query=True).start()

    event = domain_event(alice)
    publish(amqp_url, event)
    [received] = alices.wait_for(1)

    assert alices.content_type.startswith("text/event-stream")
    assert received["event"] == "job.completed" and received["stream_id"]
    assert {k: received[k] for k in ("id", "type", "title", "body", "data", "notification_id", "occurred_at")} == {
        "id": event.id,
        "type": event.type,
        "title": event.title,
        "body": event.body,
        "data": event.data,
        "notification_id": event.notification_id,
        "occurred_at": event.occurred_at,
    }
    time.sleep(0.5)
    assert bobs.events == []
    bobs_event = domain_event(bob, type="payment.paid")
    publish(amqp_url, bobs_event)
    assert [e["id"] for e in bobs.wait_for(1)] == [bobs_event.id]
    assert alices.ids == [event.id]


def test_websocket_client_gets_its_users_events_only(notifier, amqp_url, push_loop, signing_key):
    alice, bob = user(), user()
    alices = WsClient(push_loop, notifier.url, signing_key.token(alice)).start()
    bobs = WsClient(push_loop, notifier.url, signing_key.token(bob)).start()
    assert alices.status == 101

    events = [domain_event(alice), domain_event(bob), domain_event(alice, type="job.failed")]
    publish_many(amqp_url, events)

    assert [e["id"] for e in alices.wait_for(2)] == [events[0].id, events[2].id]
    assert [e["id"] for e in bobs.wait_for(1)] == [events[1].id]
    assert all(e["stream_id"] for e in alices.events)
    time.sleep(0.3)
    assert len(alices.events) == 2 and len(bobs.events) == 1


def test_events_not_meant_for_push_are_not_pushed(notifier, amqp_url, push_loop, signing_key):
    alice = user()
    client = SseClient(push_loop, notifier.url, signing_key.token(alice)).start()
    quiet, loud = domain_event(alice, realtime=False), domain_event(alice)
    publish_many(amqp_url, [quiet, loud])
    assert client.wait_for(1)[0]["id"] == loud.id
    time.sleep(0.3)
    assert client.ids == [loud.id]


@pytest.mark.parametrize("kind", ["sse-header", "sse-query", "websocket"])
def test_reconnecting_with_the_last_id_gets_exactly_the_missed_events_in_order(
    notifier, amqp_url, push_loop, signing_key, kind
):
    alice = user()
    token = signing_key.token(alice)
    make = {
        "sse-header": lambda last: SseClient(push_loop, notifier.url, token, last),
        "sse-query": lambda last: SseClient(push_loop, notifier.url, token, last, via_query=True),
        "websocket": lambda last: WsClient(push_loop, notifier.url, token, last),
    }[kind]
    first = make(None).start()
    before = [domain_event(alice, title=f"before {i}") for i in range(3)]
    publish_many(amqp_url, before)
    seen = first.wait_for(3)
    first.stop()

    missed = [domain_event(alice, title=f"missed {i}") for i in range(4)]
    publish_many(amqp_url, missed)
    time.sleep(0.5)  # they land in the stream while nobody is connected
    second = make(seen[-1]["stream_id"]).start()
    after = domain_event(alice, title="after")
    publish(amqp_url, after)

    got = second.wait_for(5)
    time.sleep(0.3)
    assert [e["id"] for e in seen] == [e.id for e in before]
    assert second.ids == [e.id for e in missed] + [after.id]
    stream_ids = [e["stream_id"] for e in second.events]
    assert stream_ids == sorted(stream_ids, key=lambda s: tuple(map(int, s.split("-")))) and len(got) == 5


def test_a_new_connection_without_last_id_starts_from_now(notifier, amqp_url, push_loop, signing_key):
    alice = user()
    publish(amqp_url, domain_event(alice, title="old news"))
    time.sleep(0.5)
    client = SseClient(push_loop, notifier.url, signing_key.token(alice)).start()
    fresh = domain_event(alice)
    publish(amqp_url, fresh)
    client.wait_for(1)
    time.sleep(0.3)
    assert client.ids == [fresh.id]


@pytest.mark.parametrize(
    ("label", "make_token"),
    [
        ("missing", lambda key, uid: None),
        ("garbage", lambda key, uid: "not.a.jwt"),
        ("expired", lambda key, uid: key.token(uid, ttl=-60)),
        ("refresh token", lambda key, uid: key.token(uid, kind="refresh")),
        ("wrong audience", lambda key, uid: key.token(uid, aud="someone-else")),
        ("foreign key", lambda key, uid: _foreign_token(uid)),
    ],
)
@pytest.mark.parametrize("path", ["/api/events/stream", "/ws/events"])
def test_bad_tokens_get_401_problem_before_streaming(notifier, push_loop, signing_key, label, make_token, path):
    token = make_token(signing_key, user())
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    status, content_type, body = push_loop.run(refused(push_loop.session, notifier.url + path, headers=headers))
    assert status == 401, label
    assert content_type == "application/problem+json"
    assert body["status"] == 401 and body["type"] == "/problems/unauthorized" and body["detail"]


def test_websocket_with_a_bad_token_is_not_upgraded(notifier, push_loop, signing_key):
    client = WsClient(push_loop, notifier.url, signing_key.token(user(), ttl=-60)).start()
    assert client.status == 401


def test_a_malformed_last_event_id_is_a_400_problem(notifier, push_loop, signing_key):
    headers = {"Authorization": f"Bearer {signing_key.token(user())}", "Last-Event-ID": "yesterday"}
    status, content_type, body = push_loop.run(
        refused(push_loop.session, notifier.url + "/api/events/stream", headers=headers)
    )
    assert (status, content_type, body["status"]) == (400, "application/problem+json", 400)


def test_health_and_unknown_paths(notifier, push_loop):
    status, _, body = push_loop.run(refused(push_loop.session, notifier.url + "/healthz"))
    assert status == 200 and body["broker"] is True
    status, content_type, body = push_loop.run(refused(push_loop.session, notifier.url + "/nowhere"))
    assert (status, content_type) == (404, "application/problem+json")


def test_keys_come_from_the_gateways_jwks_and_a_rotation_is_picked_up(
    amqp_url, redis_prefix, gateway, notifier_webhook_secret, push_loop
):
    from notifier_tokens import TokenMinter

    declare_fresh(amqp_url)
    old, new = TokenMinter(), TokenMinter()
    gateway.use_keys(old.key)
    settings = settings_for(
        amqp_url,
        redis_prefix,
        gateway.url,
        notifier_webhook_secret,
        notifier_jwks_url=None,
        notifier_jwks_min_refresh_seconds=0,
        notifier_roles=["realtime"],
    )
    with running(settings) as notifier:
        alice = user()
        assert SseClient(push_loop, notifier.url, old.token(alice)).start().status == 200
        refused_new = SseClient(push_loop, notifier.url, new.token(alice)).start()
        assert refused_new.status == 401  # not published by the gateway yet
        gateway.use_keys(old.key, new.key)  # the gateway rotates: both keys are served
        client = SseClient(push_loop, notifier.url, new.token(alice)).start()
        assert client.status == 200
        event = domain_event(alice)
        publish(amqp_url, event)
        assert client.wait_for(1)[0]["id"] == event.id
    assert gateway.jwks_requests >= 3


def test_two_replicas_each_serve_their_own_clients_and_every_client_gets_each_event_once(
    amqp_url, redis_prefix, gateway, notifier_webhook_secret, push_loop, signing_key
):
    declare_fresh(amqp_url)
    common = {"jwt_public_keys": [signing_key.public_pem]}
    realtime = settings_for(
        amqp_url, redis_prefix, gateway.url, notifier_webhook_secret, notifier_roles=["realtime"], **common
    )
    appender = settings_for(amqp_url, redis_prefix, gateway.url, notifier_webhook_secret, notifier_roles=["email"])
    alice, bob = user(), user()
    with running(realtime) as one, running(realtime) as two, running(appender):
        assert one.url != two.url
        clients = {
            "alice@one": SseClient(push_loop, one.url, signing_key.token(alice)).start(),
            "alice@two": WsClient(push_loop, two.url, signing_key.token(alice)).start(),
            "bob@two": SseClient(push_loop, two.url, signing_key.token(bob)).start(),
        }
        events = [domain_event(alice if i % 3 else bob, title=f"event {i}") for i in range(30)]
        publish_many(amqp_url, events)
        alices = [e.id for e in events if e.user_id == alice]
        bobs = [e.id for e in events if e.user_id == bob]
        for name, client in clients.items():
            client.wait_for(len(alices) if name.startswith("alice") else len(bobs))
        time.sleep(0.5)

    assert one.service.realtime.hub is not two.service.realtime.hub
    for name, client in clients.items():
        expected = alices if name.startswith("alice") else bobs
        assert client.ids == expected, name  # each event once, in the order published, none of the other user's
    # Both of alice's connections saw her stream in the same order, with the same ids.
    assert [e["stream_id"] for e in clients["alice@one"].events] == [
        e["stream_id"] for e in clients["alice@two"].events
    ]
    assert clients["alice@one"].ids == clients["alice@two"].ids


def _foreign_token(user_id: str) -> str:
    from notifier_tokens import TokenMinter

    return TokenMinter().token(user_id)


def test_the_stream_keeps_a_users_events_in_publish_order_whoever_appends(
    amqp_url, redis_prefix, gateway, notifier_webhook_secret
):
    from notifier_stack import redis_client

    from notifier.stream import StreamKeys

    declare_fresh(amqp_url)
    appender = settings_for(amqp_url, redis_prefix, gateway.url, notifier_webhook_secret, notifier_roles=["email"])
    alice = user()
    events = [domain_event(alice, title=f"event {i}") for i in range(40)]
    with running(appender), running(appender):  # two consumers of notifier.events: one active, one standing by
        publish_many(amqp_url, events)
        stream = StreamKeys(appender.notifier_redis_prefix, 1000, 86400).stream(alice)
        assert _wait(lambda: redis_client().xlen(stream) == len(events))
    rows = redis_client().xrange(stream)
    assert [json.loads(fields["e"])["id"] for _, fields in rows] == [e.id for e in events]


def _wait(predicate, timeout: float = 15.0):
    from shared.testing import wait_until

    return wait_until(predicate, timeout)
