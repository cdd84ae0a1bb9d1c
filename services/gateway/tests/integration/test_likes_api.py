"""Likes: idempotent, counted exactly under concurrency, on completed public generations only, told once."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest


@pytest.fixture
def artist(studio):
    return studio.artist()


@pytest.fixture
def style(studio, artist):
    return studio.trained(artist, price_per_generation="0")


@pytest.fixture
def image(studio, style, alice):
    """Alice's completed public generation."""
    return studio.completed(alice, style["id"])


def like(studio, who, generation_id, method="POST", client=None):
    return (client or studio.client).open(f"/api/generations/{generation_id}/like", method=method, headers=who.headers)


def notices(studio, who, kind="generation.liked") -> int:
    return studio.sql.one("SELECT count(*) FROM notifications WHERE user_id = %s AND type = %s", who.user["id"], kind)[
        0
    ]


def events(studio, who, kind="generation.liked") -> int:
    return studio.sql.one(
        "SELECT count(*) FROM outbox WHERE message_type = 'DomainEvent' AND payload->>'user_id' = %s "
        "AND payload->>'type' = %s",
        who.user["id"],
        kind,
    )[0]


def test_a_like_is_counted_once_and_told_to_the_owner_once(studio, image, alice, bob):
    first = like(studio, bob, image["id"])
    assert first.status_code == 200
    assert first.json == {"generation_id": image["id"], "liked": True, "like_count": 1}
    assert like(studio, bob, image["id"]).json == first.json  # liking twice is one like
    seen = studio.client.get(f"/api/generations/{image['id']}", headers=bob.headers).json
    assert (seen["like_count"], seen["liked_by_me"], seen["comment_count"]) == (1, True, 0)
    assert studio.client.get(f"/api/generations/{image['id']}", headers=alice.headers).json["liked_by_me"] is False
    assert studio.client.get(f"/api/generations/{image['id']}").json["liked_by_me"] is None
    assert notices(studio, alice) == 1 and events(studio, alice) == 1
    title, body, data = studio.sql.one(
        "SELECT title, body, data FROM notifications WHERE user_id = %s AND type = 'generation.liked'", alice.user["id"]
    )
    assert title == "Someone liked your image" and bob.user["username"] in body
    assert data["id"] == image["id"] and data["actor_id"] == bob.user["id"]


def test_unlike_like_again_tells_nothing_more(studio, image, alice, bob):
    like(studio, bob, image["id"])
    gone = like(studio, bob, image["id"], "DELETE")
    assert gone.status_code == 200 and gone.json == {"generation_id": image["id"], "liked": False, "like_count": 0}
    assert like(studio, bob, image["id"], "DELETE").json["like_count"] == 0  # unliking twice changes nothing
    assert like(studio, bob, image["id"]).json["like_count"] == 1
    assert notices(studio, alice) == 1 and events(studio, alice) == 1


def test_your_own_likes_tell_you_nothing(studio, image, alice):
    assert like(studio, alice, image["id"]).json["like_count"] == 1
    assert notices(studio, alice) == 0 and events(studio, alice) == 0


def test_fifty_users_liking_at_once_make_fifty_likes(studio, image, accounts):
    users = [accounts.new() for _ in range(50)]

    def attempt(who):
        return like(studio, who, image["id"], client=studio.app.test_client()).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(attempt, users)) == {200}
    stored = studio.sql.one("SELECT like_count FROM generations WHERE id = %s", image["id"])[0]
    rows = studio.sql.one("SELECT count(*) FROM generation_likes WHERE generation_id = %s", image["id"])[0]
    assert stored == rows == 50


def test_one_user_liking_and_unliking_at_once_stays_consistent(studio, image, bob):
    def attempt(n):
        return like(studio, bob, image["id"], "POST" if n % 2 else "DELETE", client=studio.app.test_client())

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert {r.status_code for r in pool.map(attempt, range(60))} == {200}
    stored = studio.sql.one("SELECT like_count FROM generations WHERE id = %s", image["id"])[0]
    rows = studio.sql.one("SELECT count(*) FROM generation_likes WHERE generation_id = %s", image["id"])[0]
    assert stored == rows and rows in (0, 1)


def test_only_completed_public_generations_take_likes(studio, style, alice, bob):
    private = studio.completed(alice, style["id"], public=False)
    studio.grant(alice, 100)
    unfinished = studio.generate(alice, style["id"]).json
    for generation in (private, unfinished):
        hidden = like(studio, bob, generation["id"])  # another user's: never confirmed to exist
        assert hidden.status_code == 404 and hidden.content_type == "application/problem+json"
        own = like(studio, alice, generation["id"])
        assert own.status_code == 409 and own.content_type == "application/problem+json"
    for bad in (str(uuid.uuid4()), "not-a-uuid"):
        assert like(studio, bob, bad).status_code == 404
        assert like(studio, bob, bad, "DELETE").status_code == 404
    ids = [private["id"], unfinished["id"]]
    assert studio.sql.one("SELECT count(*) FROM generation_likes WHERE generation_id::text = ANY(%s)", ids)[0] == 0


def test_likes_need_a_valid_token(studio, image):
    assert studio.client.post(f"/api/generations/{image['id']}/like").status_code == 401
    bad = {"Authorization": "Bearer not.a.token"}
    assert studio.client.delete(f"/api/generations/{image['id']}/like", headers=bad).status_code == 401
    assert studio.sql.one("SELECT count(*) FROM generation_likes WHERE generation_id = %s", image["id"])[0] == 0


def test_the_feed_shows_counts_and_your_likes(studio, style, alice, bob):
    liked, other = studio.completed(alice, style["id"]), studio.completed(alice, style["id"])
    like(studio, bob, liked["id"])
    studio.client.post(f"/api/generations/{liked['id']}/comments", json={"body": "멋져요"}, headers=bob.headers)
    query = {"style_id": style["id"]}
    mine = studio.client.get("/api/generations/feed", query_string=query, headers=bob.headers).json["items"]
    by_id = {g["id"]: g for g in mine}
    assert (by_id[liked["id"]]["like_count"], by_id[liked["id"]]["comment_count"]) == (1, 1)
    assert by_id[liked["id"]]["liked_by_me"] is True and by_id[other["id"]]["liked_by_me"] is False
    anonymous = studio.client.get("/api/generations/feed", query_string=query).json["items"]
    assert {g["liked_by_me"] for g in anonymous} == {None}
    bad = {"Authorization": "Bearer not.a.token"}
    assert studio.client.get("/api/generations/feed", headers=bad).status_code == 401
    by_user = studio.client.get("/api/generations/feed", query_string={"user_id": alice.user["id"]}).json["items"]
    assert {g["user"]["id"] for g in by_user} == {alice.user["id"]} and len(by_user) == 2
