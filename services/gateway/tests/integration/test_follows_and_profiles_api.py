"""Follows and public profiles: idempotent, counted exactly, not yourself, unknown users 404, told once."""

import uuid
from concurrent.futures import ThreadPoolExecutor


def follow(client, who, user_id, method="POST"):
    return client.open(f"/api/users/{user_id}/follow", method=method, headers=who.headers)


def counts(sql, who) -> tuple[int, int]:
    return sql.one("SELECT follower_count, following_count FROM users WHERE id = %s", who.user["id"])


def told(sql, who) -> int:
    return sql.one("SELECT count(*) FROM notifications WHERE user_id = %s AND type = 'user.followed'", who.user["id"])[
        0
    ]


def test_following_is_idempotent_counted_and_told_once(studio, alice, bob):
    client, sql = studio.client, studio.sql
    first = follow(client, bob, alice.user["id"])
    assert first.status_code == 200
    assert first.json == {"user_id": alice.user["id"], "following": True, "follower_count": 1}
    assert follow(client, bob, alice.user["id"]).json == first.json
    assert counts(sql, alice) == (1, 0) and counts(sql, bob) == (0, 1)
    gone = follow(client, bob, alice.user["id"], "DELETE")
    assert gone.json == {"user_id": alice.user["id"], "following": False, "follower_count": 0}
    assert follow(client, bob, alice.user["id"], "DELETE").json["follower_count"] == 0
    follow(client, bob, alice.user["id"])
    assert counts(sql, alice) == (1, 0) and counts(sql, bob) == (0, 1)
    assert told(sql, alice) == 1 and told(sql, bob) == 0  # follow, unfollow, follow: told once
    body, data = sql.one(
        "SELECT body, data FROM notifications WHERE user_id = %s AND type = 'user.followed'", alice.user["id"]
    )
    assert bob.user["username"] in body and data["id"] == bob.user["id"]


def test_you_cannot_follow_yourself_nor_unknown_users(studio, alice):
    client = studio.client
    for method in ("POST", "DELETE"):
        itself = follow(client, alice, alice.user["id"], method)
        assert itself.status_code == 422 and itself.content_type == "application/problem+json"
        for bad in (str(uuid.uuid4()), "nobody", "me"):
            assert follow(client, alice, bad, method).status_code == 404
    assert counts(studio.sql, alice) == (0, 0)
    assert studio.sql.one("SELECT count(*) FROM follows WHERE follower_id = %s", alice.user["id"])[0] == 0
    assert client.post(f"/api/users/{alice.user['id']}/follow").status_code == 401
    bad_token = {"Authorization": "Bearer not.a.token"}
    assert client.post(f"/api/users/{alice.user['id']}/follow", headers=bad_token).status_code == 401


def test_concurrent_follows_count_exactly_and_crossing_follows_do_not_deadlock(studio, accounts, alice):
    fans = [accounts.new() for _ in range(30)]

    def attempt(pair):
        who, whom = pair
        return follow(studio.app.test_client(), who, whom.user["id"]).status_code

    crossing = [pair for fan in fans for pair in ((fan, alice), (alice, fan))]  # A follows B as B follows A
    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(attempt, crossing)) == {200}
    assert counts(studio.sql, alice) == (30, 30)
    assert {counts(studio.sql, fan) for fan in fans} == {(1, 1)}


def test_a_profile_counts_public_styles_and_images(studio, alice, bob):
    artist = studio.artist()
    style = studio.trained(artist, price_per_generation="0")
    studio.trained(artist, visibility="private")
    studio.style(artist)  # not trained yet
    studio.completed(artist, style["id"])
    studio.completed(artist, style["id"], public=False)
    follow(studio.client, alice, artist.user["id"])
    follow(studio.client, artist, bob.user["id"])
    seen = studio.client.get(f"/api/users/{artist.user['id']}", headers=alice.headers).json
    assert seen["id"] == artist.user["id"] and seen["username"] == artist.user["username"]
    assert (seen["is_artist"], seen["style_count"], seen["generation_count"]) == (True, 1, 1)
    assert (seen["follower_count"], seen["following_count"], seen["followed_by_me"]) == (1, 1, True)
    assert seen["links"]["followers"] == f"/api/users/{artist.user['id']}/followers"
    assert "email" not in seen and "roles" not in seen
    assert studio.client.get(f"/api/users/{artist.user['id']}", headers=bob.headers).json["followed_by_me"] is False
    assert studio.client.get(f"/api/users/{artist.user['id']}").json["followed_by_me"] is None
    plain = studio.client.get(f"/api/users/{bob.user['id']}").json
    assert (plain["is_artist"], plain["style_count"], plain["follower_count"]) == (False, 0, 1)
    for bad in (str(uuid.uuid4()), "not-an-id", "1"):
        missing = studio.client.get(f"/api/users/{bad}")
        assert missing.status_code == 404 and missing.content_type == "application/problem+json"
    bad_token = {"Authorization": "Bearer not.a.token"}
    assert studio.client.get(f"/api/users/{bob.user['id']}", headers=bad_token).status_code == 401


def test_followers_and_following_page_by_cursor(studio, accounts, alice, bob):
    fans = [accounts.new() for _ in range(5)]
    for fan in fans:
        follow(studio.client, fan, alice.user["id"])
    follow(studio.client, bob, fans[0].user["id"])
    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = studio.client.get(f"/api/users/{alice.user['id']}/followers", query_string=query, headers=bob.headers)
        seen += page.json["items"]
        cursor = page.json["next_cursor"]
        if cursor is None:
            break
    assert [p["id"] for p in seen] == [fan.user["id"] for fan in fans][::-1]  # most recent first
    assert [p["followed_by_me"] for p in seen] == [False] * 4 + [True] and all(p["followed_at"] for p in seen)
    following = studio.client.get(f"/api/users/{fans[0].user['id']}/following").json["items"]
    assert [p["id"] for p in following] == [alice.user["id"]] and following[0]["followed_by_me"] is None
    assert studio.client.get(f"/api/users/{uuid.uuid4()}/followers").status_code == 404
    assert (
        studio.client.get(f"/api/users/{alice.user['id']}/following", query_string={"cursor": "x"}).status_code == 422
    )
