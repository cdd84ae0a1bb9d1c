"""Comments: on completed public generations, trimmed and bounded, paginated, edited by their author only."""

import uuid

import pytest


@pytest.fixture
def style(studio):
    return studio.trained(studio.artist(), price_per_generation="0")


@pytest.fixture
def image(studio, style, alice):
    return studio.completed(alice, style["id"])


def comment(studio, who, generation_id, body="Lovely light", **extra):
    return studio.client.post(
        f"/api/generations/{generation_id}/comments", json={"body": body, **extra}, headers=who.headers
    )


def stored(studio, generation_id) -> tuple[int, int]:
    """(comment rows, comment_count) of a generation."""
    rows = studio.sql.one("SELECT count(*) FROM generation_comments WHERE generation_id = %s", generation_id)[0]
    return rows, studio.sql.one("SELECT comment_count FROM generations WHERE id = %s", generation_id)[0]


def told(studio, who) -> int:
    return studio.sql.one(
        "SELECT count(*) FROM notifications WHERE user_id = %s AND type = 'generation.commented'", who.user["id"]
    )[0]


def test_a_comment_is_trimmed_counted_and_told_to_the_owner(studio, image, alice, bob):
    response = comment(studio, bob, image["id"], "  첫 줄\n둘째 줄 — lovely  \n")
    assert response.status_code == 201, response.json
    made = response.json
    assert made["body"] == "첫 줄\n둘째 줄 — lovely" and made["edited"] is False
    assert made["author"] == {
        "id": bob.user["id"],
        "username": bob.user["username"],
        "is_artist": False,
        "links": {"profile": f"/api/users/{bob.user['id']}"},
    }
    assert response.headers["Location"] == f"/api/generations/{image['id']}/comments/{made['id']}"
    assert studio.client.get(response.headers["Location"]).json == made
    assert stored(studio, image["id"]) == (1, 1)
    assert told(studio, alice) == 1
    body, data = studio.sql.one(
        "SELECT body, data FROM notifications WHERE user_id = %s AND type = 'generation.commented'", alice.user["id"]
    )
    assert body.startswith(f"{bob.user['username']}: 첫 줄 둘째 줄") and data["comment_id"] == made["id"]
    comment(studio, alice, image["id"], "Thanks!")  # the owner's own reply tells nobody
    assert told(studio, alice) == 1 and told(studio, bob) == 0


@pytest.mark.parametrize(
    "body",
    [
        {"body": ""},
        {"body": "   \n\t "},
        {"body": "x" * 1001},
        {"body": "가" * 5000},
        {"body": "bell\u0007"},
        {"body": "invoice\u202egnp.exe"},  # a right-to-left override, as other text fields refuse it
        {"body": 42},
        {"body": None},
        {"body": ["a"]},
        {},
        {"body": "fine", "rating": 5},
    ],
)
def test_bad_comments_are_422_and_store_nothing(studio, image, bob, body):
    response = studio.client.post(f"/api/generations/{image['id']}/comments", json=body, headers=bob.headers)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert stored(studio, image["id"]) == (0, 0)


def test_a_nul_is_refused_by_the_decoding_layer_with_a_400(studio, image, bob):
    body = {"body": "null\u0000byte"}
    response = studio.client.post(f"/api/generations/{image['id']}/comments", json=body, headers=bob.headers)
    assert response.status_code == 400 and response.json["type"] == "/problems/invalid-character"
    assert response.json["errors"][0]["pointer"] == "/body"
    assert stored(studio, image["id"]) == (0, 0)


def test_a_thousand_characters_is_the_limit(studio, image, bob):
    assert comment(studio, bob, image["id"], " " + "가" * 1000 + " ").status_code == 201


def test_comments_only_on_completed_public_generations(studio, style, alice, bob):
    private = studio.completed(alice, style["id"], public=False)
    studio.grant(alice, 100)
    unfinished = studio.generate(alice, style["id"]).json
    for generation in (private, unfinished):
        assert comment(studio, bob, generation["id"]).status_code == 404
        assert (
            studio.client.get(f"/api/generations/{generation['id']}/comments", headers=bob.headers).status_code == 404
        )
        assert comment(studio, alice, generation["id"]).status_code == 409
        assert stored(studio, generation["id"]) == (0, 0)
    assert studio.client.get(f"/api/generations/{private['id']}/comments", headers=alice.headers).status_code == 200
    for bad in (str(uuid.uuid4()), "nope"):
        assert comment(studio, bob, bad).status_code == 404
        assert studio.client.get(f"/api/generations/{bad}/comments").status_code == 404


def test_comments_page_by_cursor_oldest_or_newest_first(studio, image, alice, bob):
    made = [comment(studio, bob if n % 2 else alice, image["id"], f"comment {n}").json["id"] for n in range(7)]
    for order, expected in (("oldest", made), ("newest", made[::-1])):
        seen, cursor = [], None
        while True:
            query = {"limit": 3, "order": order, **({"cursor": cursor} if cursor else {})}
            page = studio.client.get(f"/api/generations/{image['id']}/comments", query_string=query).json
            seen += [c["id"] for c in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == expected
    for query in ({"cursor": "garbage"}, {"order": "random"}, {"limit": 0}, {"limit": 101}, {"limit": "x"}):
        response = studio.client.get(f"/api/generations/{image['id']}/comments", query_string=query)
        assert response.status_code == 422 and response.json["errors"][0]["location"] == "query"


def test_only_the_author_edits_a_comment(studio, image, alice, bob, accounts):
    made = comment(studio, bob, image["id"]).json
    path = f"/api/generations/{image['id']}/comments/{made['id']}"
    edited = studio.client.patch(path, json={"body": "  Lovelier light "}, headers=bob.headers)
    assert edited.status_code == 200 and edited.json["body"] == "Lovelier light" and edited.json["edited"] is True
    carol = accounts.new()
    for other in (alice, carol):  # not even the generation's owner
        refused = studio.client.patch(path, json={"body": "hijacked"}, headers=other.headers)
        assert refused.status_code == 404 and refused.content_type == "application/problem+json"
    assert studio.client.patch(path, json={"body": "  "}, headers=bob.headers).status_code == 422
    assert studio.client.patch(path, json={"body": "x"}).status_code == 401
    assert studio.client.get(path).json["body"] == "Lovelier light"


def test_the_author_or_the_generations_owner_deletes_a_comment(studio, image, alice, bob, accounts):
    carol = accounts.new()
    by_bob, by_carol = comment(studio, bob, image["id"]).json, comment(studio, carol, image["id"]).json
    path = f"/api/generations/{image['id']}/comments/{{}}"
    assert studio.client.delete(path.format(by_bob["id"]), headers=carol.headers).status_code == 404
    assert studio.client.delete(path.format(by_bob["id"])).status_code == 401
    assert stored(studio, image["id"]) == (2, 2)
    assert studio.client.delete(path.format(by_bob["id"]), headers=bob.headers).status_code == 204
    assert studio.client.delete(path.format(by_carol["id"]), headers=alice.headers).status_code == 204  # the owner
    assert studio.client.delete(path.format(by_carol["id"]), headers=alice.headers).status_code == 404
    assert studio.client.get(path.format(by_bob["id"])).status_code == 404
    assert stored(studio, image["id"]) == (0, 0)
    assert studio.client.delete(path.format("nope"), headers=bob.headers).status_code == 404


def test_a_comment_belongs_to_its_generation(studio, style, image, alice, bob):
    other = studio.completed(alice, style["id"])
    made = comment(studio, bob, image["id"]).json
    wrong = f"/api/generations/{other['id']}/comments/{made['id']}"
    assert studio.client.get(wrong).status_code == 404
    assert studio.client.patch(wrong, json={"body": "moved"}, headers=bob.headers).status_code == 404
    assert studio.client.delete(wrong, headers=bob.headers).status_code == 404
