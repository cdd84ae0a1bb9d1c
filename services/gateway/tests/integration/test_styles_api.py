"""Styles: artists upload checked training images, the style is queued for training; listing, editing, deleting."""

import io
import uuid

import pytest
from PIL import Image, PngImagePlugin
from studio_kit import image_bytes, training_set

from gateway.app import create_app


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def big_png(megabytes: float) -> bytes:
    """A valid 256x256 PNG made large by a text chunk."""
    info = PngImagePlugin.PngInfo()
    info.add_text("padding", "x" * int(megabytes * 1024 * 1024))
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), "teal").save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def test_an_artist_uploads_a_style_and_it_is_queued_for_training(studio, storage_root):
    artist = studio.artist()
    images = training_set(6, "PNG") + training_set(2, "JPEG") + training_set(2, "WEBP")
    assert sum(len(data) for _, data in images) > 1024 * 1024  # beyond MAX_BODY_BYTES, allowed on this route
    response = studio.upload(artist, images, name="  Harbour  ", tags="Sea, dusk ,sea", visibility="private")
    assert response.status_code == 202, response.json
    style = response.json
    assert response.headers["Location"] == f"/api/styles/{style['id']}"
    assert style["status"] == "queued" and style["name"] == "Harbour" and style["tags"] == ["sea", "dusk"]
    assert style["price_per_generation"] == 20 and style["visibility"] == "private" and style["image_count"] == 10
    assert style["artist"] == {"id": artist.user["id"], "username": artist.user["username"]}
    assert style["progress"] == {"percent": 0, "current_epoch": 0, "total_epochs": 30, "estimated_seconds": None}
    extensions = ["png"] * 6 + ["jpg"] * 2 + ["webp"] * 2
    expected = [f"styles/{style['id']}/images/{n}.{ext}" for n, ext in enumerate(extensions, 1)]
    assert stored_files(storage_root / "styles" / style["id"]) == sorted(k.split("/", 2)[2] for k in expected)
    assert [url.split("?")[0] for url in style["preview_urls"]] == [f"/media/{key}" for key in expected[:4]]
    assert all("X-Amz-Signature=" in url for url in style["preview_urls"])  # a private style's: signed for its artist
    command = studio.sql.one(
        "SELECT routing_key, payload FROM outbox WHERE message_type = 'TrainStyle' AND payload->>'style_id' = %s",
        style["id"],
    )
    assert command[0] == "training.requested"
    assert command[1]["image_keys"] == expected and command[1]["epochs"] == 30
    assert command[1]["artist_id"] == artist.user["id"]
    media = studio.client.get(style["preview_urls"][4 - 1])
    assert media.status_code == 200 and media.content_type == "image/png"


def test_repeated_tags_are_accepted_too(studio):
    style = studio.style(studio.artist(), tags=["Oil", "impasto,oil", " warm  light "])
    assert style["tags"] == ["oil", "impasto", "warm light"]


def test_only_artists_upload_styles(studio, storage_root, alice):
    before = stored_files(storage_root)
    refused = studio.upload(alice)
    assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    assert "artist" in refused.json["detail"]
    anonymous = studio.client.post("/api/styles", data={"name": "x"}, content_type="multipart/form-data")
    assert anonymous.status_code == 401
    assert stored_files(storage_root) == before
    assert studio.sql.one("SELECT count(*) FROM styles WHERE artist_id = %s", alice.user["id"])[0] == 0


def _bad(count=10, replace=None):
    images = training_set(count)
    if replace is not None:
        images[3] = replace
    return images


BAD_UPLOADS = {
    "not an image": ({}, _bad(replace=("art.png", b"this is text, not a picture"))),
    "truncated": ({}, _bad(replace=("art.png", image_bytes("PNG")[:3000]))),
    "a GIF": ({}, _bad(replace=("art.gif", image_bytes("GIF")))),
    "too small": ({}, _bad(replace=("small.jpg", image_bytes(size=(255, 400))))),
    "too large a side": ({}, _bad(replace=("wide.png", image_bytes("PNG", size=(4097, 256))))),
    "too many bytes": ({}, _bad(replace=("huge.png", big_png(2.1)))),
    "too few": ({}, _bad(count=9)),
    "too many": ({}, [(f"{n}.jpg", image_bytes(size=(256, 256), seed=1)) for n in range(101)]),
    "none": ({}, []),
    "negative price": ({"price_per_generation": "-1"}, None),
    "price not a number": ({"price_per_generation": "ten"}, None),
    "price too high": ({"price_per_generation": "10001"}, None),
    "no name": ({"name": ""}, None),
    "blank name": ({"name": "   "}, None),
    "bad visibility": ({"visibility": "friends"}, None),
    "too many tags": ({"tags": ",".join(f"t{n}" for n in range(21))}, None),
    "tag too long": ({"tags": "x" * 51}, None),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_bad_uploads_are_422_and_store_nothing(studio, storage_root, case):
    artist = studio.artist()
    fields, images = BAD_UPLOADS[case]
    before = stored_files(storage_root)
    response = studio.upload(artist, images, **fields)
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json" and response.json["errors"]
    assert stored_files(storage_root) == before
    assert studio.sql.one("SELECT count(*) FROM styles WHERE artist_id = %s", artist.user["id"])[0] == 0
    assert studio.sql.one(
        "SELECT count(*) FROM outbox WHERE message_type = 'TrainStyle' AND payload->>'artist_id' = %s",
        artist.user["id"],
    ) == (0,)


def test_a_bad_image_is_named_by_position_and_file(studio):
    response = studio.upload(studio.artist(), _bad(replace=("cat.png", b"GIF89a nope")))
    assert response.json["errors"][0]["pointer"] == "/images/3"
    assert "'cat.png'" in response.json["detail"] and "not a PNG, JPEG or WebP" in response.json["detail"]


def test_a_request_over_the_upload_limit_is_413(studio, studio_settings, storage_root):
    small = create_app(studio_settings.model_copy(update={"style_upload_max_bytes": 256 * 1024}))
    artist, before = studio.artist(), stored_files(storage_root)
    response = studio.upload(artist, training_set(10, "PNG"), client=small.test_client())
    assert response.status_code == 413 and response.content_type == "application/problem+json"
    assert stored_files(storage_root) == before


def test_other_routes_keep_the_global_body_limit(studio, alice):
    response = studio.client.post(
        "/api/generations",
        data=b'{"x": "' + b"a" * (1024 * 1024) + b'"}',
        headers=alice.headers,
        content_type="application/json",
    )
    assert response.status_code == 413


def test_a_style_is_multipart(studio):
    response = studio.client.post("/api/styles", json={"name": "x"}, headers=studio.artist().headers)
    assert response.status_code == 415 and response.content_type == "application/problem+json"


def test_listing_shows_trained_public_styles_only(studio, accounts):
    artist, tag = studio.artist(), f"tag{uuid.uuid4().hex[:8]}"
    trained = studio.trained(artist, tags=tag, name="Trained")
    popular = studio.trained(artist, tags=tag, name="Popular")
    studio.style(artist, tags=tag, name="Queued")
    studio.trained(artist, tags=tag, name="Private", visibility="private")
    studio.sql.one("UPDATE styles SET generation_count = 5 WHERE id = %s RETURNING id", popular["id"])
    listed = studio.client.get("/api/styles", query_string={"tag": tag}).json
    assert [s["name"] for s in listed["items"]] == ["Popular", "Trained"] and listed["total"] == 2
    by_popularity = studio.client.get("/api/styles", query_string={"artist_id": artist.user["id"], "sort": "popular"})
    assert [s["id"] for s in by_popularity.json["items"]] == [popular["id"], trained["id"]]
    paged = studio.client.get("/api/styles", query_string={"tag": tag, "page": 2, "page_size": 1}).json
    assert [s["name"] for s in paged["items"]] == ["Trained"] and paged["pages"] == 2
    assert studio.client.get("/api/styles", query_string={"tag": tag.upper()}).json["total"] == 0
    assert studio.client.get("/api/styles", query_string={"sort": "oldest"}).status_code == 422


def test_a_style_is_seen_by_its_artist_in_any_status_and_by_others_once_trained_and_public(studio, bob):
    artist = studio.artist()
    queued, private = studio.style(artist), studio.trained(artist, visibility="private")
    public = studio.trained(artist)
    for style in (queued, private):
        assert studio.client.get(f"/api/styles/{style['id']}", headers=artist.headers).status_code == 200
        for other in (bob.headers, {}):
            response = studio.client.get(f"/api/styles/{style['id']}", headers=other)
            assert response.status_code == 404 and response.content_type == "application/problem+json"
    assert studio.client.get(f"/api/styles/{public['id']}").json["status"] == "completed"
    assert studio.client.get("/api/styles/not-a-uuid").status_code == 404
    mine = studio.client.get("/api/styles/me", headers=artist.headers).json
    assert [s["id"] for s in mine["items"]] == [public["id"], private["id"], queued["id"]]
    queued_only = studio.client.get("/api/styles/me", query_string={"status": "queued"}, headers=artist.headers)
    assert [s["id"] for s in queued_only.json["items"]] == [queued["id"]]
    assert studio.client.get("/api/styles/me", headers=bob.headers).json["total"] == 0


def test_the_artist_edits_their_style(studio, bob):
    artist = studio.artist()
    style = studio.trained(artist)
    changes = {"name": "Night harbour", "tags": ["Night", "sea"], "price_per_generation": 35, "visibility": "private"}
    edited = studio.client.patch(f"/api/styles/{style['id']}", json=changes, headers=artist.headers)
    assert edited.status_code == 200
    assert (edited.json["name"], edited.json["tags"], edited.json["price_per_generation"]) == (
        "Night harbour",
        ["night", "sea"],
        35,
    )
    assert studio.client.get(f"/api/styles/{style['id']}").status_code == 404  # private now
    for body in ({}, {"price_per_generation": -5}, {"visibility": "x"}, {"tags": ["x" * 51]}, {"name": " "}):
        response = studio.client.patch(f"/api/styles/{style['id']}", json=body, headers=artist.headers)
        assert response.status_code == 422, body
    assert studio.client.patch(f"/api/styles/{style['id']}", json={"name": "x"}, headers=bob.headers).status_code == 404
    not_json = studio.client.patch(f"/api/styles/{style['id']}", data="name=x", headers=artist.headers)
    assert not_json.status_code == 415


def test_the_artist_deletes_their_style(studio, bob):
    artist = studio.artist()
    style = studio.trained(artist)
    assert studio.client.delete(f"/api/styles/{style['id']}", headers=bob.headers).status_code == 404
    assert studio.client.delete(f"/api/styles/{style['id']}", headers=artist.headers).status_code == 204
    assert studio.client.get(f"/api/styles/{style['id']}", headers=artist.headers).status_code == 404
    assert studio.client.delete(f"/api/styles/{style['id']}", headers=artist.headers).status_code == 404
    assert studio.client.get("/api/styles", query_string={"artist_id": artist.user["id"]}).json["total"] == 0
    studio.grant(bob, 500)
    assert studio.generate(bob, style["id"]).status_code == 404
    assert studio.balance(bob) == 500
