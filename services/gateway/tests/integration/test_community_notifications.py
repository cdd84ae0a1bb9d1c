"""The studio's owners hear of what happens to their work: training, images, likes, comments, followers; once each."""

PUBLIC_URL = "https://93.184.215.14/hooks"  # a public address literal: no DNS needed in tests


def inbox(studio, who) -> list[str]:
    items = studio.client.get("/api/notifications", query_string={"page_size": 100}, headers=who.headers).json["items"]
    return sorted(item["type"] for item in items)


def domain_events(studio, who) -> list[dict]:
    rows = studio.sql.all(
        "SELECT payload FROM outbox WHERE message_type = 'DomainEvent' AND payload->>'user_id' = %s ORDER BY id",
        who.user["id"],
    )
    return [row[0] for row in rows]


def test_every_studio_event_reaches_its_owner_once(studio, alice, bob):
    artist = studio.artist()
    style = studio.trained(artist, price_per_generation="0")
    broken = studio.style(artist)
    body = {"style_id": broken["id"], "error_message": "no faces found", "error_code": "unreadable_image"}
    assert studio.report("training", "failed", body).json["result"] == "applied"
    image = studio.completed(alice, style["id"])
    studio.grant(alice, 100)
    failed = studio.generate(alice, style["id"]).json
    studio.fail(failed["id"])
    studio.client.post(f"/api/generations/{image['id']}/like", headers=bob.headers)
    studio.client.post(f"/api/generations/{image['id']}/comments", json={"body": "좋아요"}, headers=bob.headers)
    studio.client.post(f"/api/users/{alice.user['id']}/follow", headers=bob.headers)
    studio.client.post(f"/api/users/{artist.user['id']}/follow", headers=alice.headers)
    assert inbox(studio, artist) == ["training.completed", "training.failed", "user.followed"]
    assert inbox(studio, alice) == [
        "generation.commented",
        "generation.completed",
        "generation.failed",
        "generation.liked",
        "user.followed",
    ]
    assert inbox(studio, bob) == []
    events = [e["type"] for e in domain_events(studio, alice) if e["type"].split(".")[0] in ("generation", "user")]
    assert sorted(events) == [t for t in inbox(studio, alice) if t.split(".")[0] in ("generation", "user")]
    liked = next(e for e in domain_events(studio, alice) if e["type"] == "generation.liked")
    assert liked["title"] == "Someone liked your image" and bob.user["username"] in liked["body"]
    assert liked["data"]["id"] == image["id"] and liked["email"] is None  # not e-mailed by default


def test_preferences_and_customer_webhooks_apply(studio, alice, bob):
    style = studio.trained(studio.artist(), price_per_generation="0")
    image = studio.completed(alice, style["id"])
    prefs = {"preferences": [{"event_type": "generation.liked", "in_app": False, "email": True}]}
    assert studio.client.put("/api/me/notification-preferences", json=prefs, headers=alice.headers).status_code == 200
    hook = {"url": PUBLIC_URL, "event_types": ["generation.commented", "user.followed"]}
    endpoint = studio.client.post("/api/webhook-endpoints", json=hook, headers=alice.headers).json
    studio.client.post(f"/api/generations/{image['id']}/like", headers=bob.headers)
    studio.client.post(f"/api/generations/{image['id']}/comments", json={"body": "Nice"}, headers=bob.headers)
    studio.client.post(f"/api/users/{alice.user['id']}/follow", headers=bob.headers)
    assert "generation.liked" not in inbox(studio, alice)
    liked = next(e for e in domain_events(studio, alice) if e["type"] == "generation.liked")
    assert liked["notification_id"] is None and liked["email"] == alice.user["email"]
    deliveries = studio.sql.all(
        "SELECT payload->>'event_type' FROM outbox WHERE message_type = 'DeliverWebhook' "
        "AND payload->>'endpoint_id' = %s ORDER BY id",
        endpoint["id"],
    )
    assert [row[0] for row in deliveries] == ["generation.commented", "user.followed"]


def test_refused_requests_tell_nobody(studio, alice, bob):
    style = studio.trained(studio.artist(), price_per_generation="0")
    private = studio.completed(alice, style["id"], public=False)
    public = studio.completed(alice, style["id"])
    before = len(domain_events(studio, alice))
    studio.client.post(f"/api/generations/{private['id']}/like", headers=bob.headers)
    studio.client.post(f"/api/generations/{private['id']}/comments", json={"body": "hi"}, headers=bob.headers)
    studio.client.post(f"/api/generations/{public['id']}/comments", json={"body": "  "}, headers=bob.headers)
    studio.client.post(f"/api/generations/{public['id']}/like")
    studio.client.post(f"/api/users/{alice.user['id']}/follow", headers={"Authorization": "Bearer bad"})
    assert len(domain_events(studio, alice)) == before
    assert studio.sql.one("SELECT count(*) FROM community_notices WHERE actor_id = %s", bob.user["id"])[0] == 0
