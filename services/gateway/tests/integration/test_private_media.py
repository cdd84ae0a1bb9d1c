"""Private media: only a public style's previews and a public generation's image are public; everything else
needs its owner's short-lived signed URL, and a private style is never named by a generation made with it."""

import io
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import numpy as np
import pytest
from PIL import Image
from studio_kit import image_bytes, training_set

PROBLEM = "application/problem+json"


def refused(studio, url: str, headers=None) -> bool:
    """A 404 problem that says nothing but that there is no file there."""
    response = studio.client.get(url, headers=headers or {})
    return response.status_code == 404 and response.content_type == PROBLEM


def served(studio, url: str) -> bool:
    response = studio.client.get(url)
    return response.status_code == 200 and response.content_type.startswith("image/")


def plain(url: str) -> str:
    return url.split("?")[0]


def previews(studio, style: dict, who=None) -> list[str]:
    return studio.client.get(f"/api/styles/{style['id']}", headers=who.headers if who else {}).json["preview_urls"]


@pytest.fixture
def artist(studio):
    return studio.artist()


def test_a_public_styles_previews_are_public_and_its_other_training_images_are_not(studio, artist, bob, storage_root):
    style = studio.trained(artist)
    urls = previews(studio, style)
    assert len(urls) == 4 and all("?" not in url for url in urls)
    for url in urls:
        response = studio.client.get(url)
        assert response.status_code == 200 and "public" in response.headers["Cache-Control"]
    for number in range(5, 11):
        assert (storage_root / "styles" / style["id"] / "images" / f"{number}.jpg").is_file()  # stored, not served
        for headers in ({}, bob.headers, artist.headers):  # a bearer token is no key to a file: only a signed URL is
            assert refused(studio, f"/media/styles/{style['id']}/images/{number}.jpg", headers)


def test_a_private_or_untrained_styles_images_are_its_artists_alone(studio, artist, bob):
    private = studio.trained(artist, visibility="private")
    untrained = studio.style(artist)  # public, still queued for training
    for style in (private, untrained):
        urls = previews(studio, style, artist)
        assert urls and all("X-Amz-Signature=" in url and "X-Amz-Expires=3600" in url for url in urls)
        for url in urls:
            response = studio.client.get(url)
            assert response.status_code == 200 and response.content_type == "image/jpeg"
            assert "private" in response.headers["Cache-Control"] and "public" not in response.headers["Cache-Control"]
            for headers in ({}, bob.headers, artist.headers):
                assert refused(studio, plain(url), headers)
        assert studio.client.get(f"/api/styles/{style['id']}", headers=bob.headers).status_code == 404
    mine = studio.client.get("/api/styles/me", headers=artist.headers).json["items"]
    assert all("X-Amz-Signature=" in url for style in mine for url in style["preview_urls"])


def test_a_signed_url_holds_for_its_key_and_its_lifetime_only(studio, studio_app, artist):
    style = studio.trained(artist, visibility="private")
    url = previews(studio, style, artist)[0]
    path, query = url.split("?")
    args = dict(parse_qsl(query))
    assert served(studio, url)
    key = path.removeprefix("/media/")
    signer = studio_app.extensions["gateway"].store.signer
    expired = signer.query(key, 60, datetime.now(UTC) - timedelta(hours=2))
    longer = {**args, "X-Amz-Expires": "604800"}
    other_image = f"{path.replace('/1.jpg', '/2.jpg')}?{query}"
    tampered = {**args, "X-Amz-Signature": args["X-Amz-Signature"][::-1]}
    for attempt in (f"{path}?{expired}", f"{path}?{urlencode(longer)}", other_image, f"{path}?{urlencode(tampered)}"):
        assert refused(studio, attempt)
    missing = f"styles/{uuid.uuid4()}/images/1.jpg"
    assert refused(studio, f"/media/{missing}?{signer.query(missing, 60)}")  # signed, but nothing there
    nothing = studio.client.get(f"/media/{missing}").json
    hidden = studio.client.get(path).json
    assert hidden == {**nothing, "detail": f"no file at {key}", "instance": path}  # no hint that it exists


def test_previews_follow_the_styles_visibility(studio, artist):
    style = studio.trained(artist)
    url = previews(studio, style)[0]
    assert served(studio, url)
    change = studio.client.patch(f"/api/styles/{style['id']}", json={"visibility": "private"}, headers=artist.headers)
    assert change.status_code == 200 and all("X-Amz-Signature=" in url for url in change.json["preview_urls"])
    assert refused(studio, url)
    assert served(studio, previews(studio, style, artist)[0])
    studio.client.patch(f"/api/styles/{style['id']}", json={"visibility": "public"}, headers=artist.headers)
    assert served(studio, url)
    assert studio.client.delete(f"/api/styles/{style['id']}", headers=artist.headers).status_code == 204
    assert refused(studio, url)


def put_image(storage_root, generation: dict) -> None:
    """What the inference server stores before it reports the generation done."""
    (storage_root / "generations").mkdir(exist_ok=True)
    (storage_root / "generations" / f"{generation['id']}.png").write_bytes(image_bytes("PNG"))


def test_a_private_generations_image_is_its_makers_alone(studio, artist, alice, bob, storage_root):
    style = studio.trained(artist)
    private = studio.completed(alice, style["id"], public=False)
    public = studio.completed(alice, style["id"])
    studio.grant(alice, 100)
    unfinished = studio.generate(alice, style["id"]).json
    for generation in (private, public, unfinished):
        put_image(storage_root, generation)
    url = studio.client.get(f"/api/generations/{private['id']}", headers=alice.headers).json["image_url"]
    assert "X-Amz-Signature=" in url and served(studio, url)
    for headers in ({}, bob.headers, alice.headers, artist.headers):
        assert refused(studio, plain(url), headers)
        assert refused(studio, f"/media/generations/{unfinished['id']}.png", headers)
    open_url = studio.client.get(f"/api/generations/{public['id']}").json["image_url"]
    assert open_url == f"/media/generations/{public['id']}.png" and served(studio, open_url)
    mine = studio.client.get("/api/generations/me", headers=alice.headers).json["items"]
    by_id = {item["id"]: item["image_url"] for item in mine}
    assert "X-Amz-Signature=" in by_id[private["id"]] and by_id[public["id"]] == open_url


def leaks(response, style: dict) -> bool:
    text = response.get_data(as_text=True)
    return style["id"] in text or style["name"] in text


def test_a_public_generation_never_names_a_private_style(studio, artist, alice, bob):
    secret = studio.trained(artist, name=f"Secret recipe {uuid.uuid4().hex[:8]}", visibility="private")
    own = studio.completed(artist, secret["id"])  # the artist's public image in their private style
    gone_private = studio.trained(artist, name=f"Formerly open {uuid.uuid4().hex[:8]}")
    used = studio.completed(alice, gone_private["id"])  # alice's public image, made while the style was public
    studio.grant(alice, 100)
    pending = studio.generate(alice, gone_private["id"]).json  # done only once the style is private
    studio.client.patch(f"/api/styles/{gone_private['id']}", json={"visibility": "private"}, headers=artist.headers)
    studio.complete(pending["id"])
    studio.client.post(f"/api/generations/{used['id']}/like", headers=bob.headers)
    studio.client.post(f"/api/generations/{used['id']}/comments", json={"body": "lovely"}, headers=bob.headers)
    cases = [(own, secret, artist), (used, gone_private, alice)]
    for generation, style, maker in cases:
        reads = [
            f"/api/generations/{generation['id']}",
            "/api/generations/feed?limit=100",
            f"/api/generations/feed?user_id={maker.user['id']}",
            f"/api/generations/{generation['id']}/comments",
            f"/api/search?q={style['name'].split()[0]}",
            f"/api/users/{artist.user['id']}",
        ]
        for headers in ({}, bob.headers, *([alice.headers] if maker is alice else [])):
            for url in reads:
                response = studio.client.get(url, headers=headers)
                assert response.status_code == 200 and not leaks(response, style), url
            found = studio.client.get(f"/api/generations/{generation['id']}", headers=headers).json
            assert found["style"] is None and found["artist"]["id"] == artist.user["id"]
            by_style = studio.client.get(f"/api/generations/feed?style_id={style['id']}", headers=headers)
            assert by_style.json["items"] == []  # found by the private style's id would name it
        named = studio.client.get(f"/api/generations/{generation['id']}", headers=artist.headers).json
        assert named["style"] == {"id": style["id"], "name": style["name"]}  # its artist still sees it
        by_style = studio.client.get(f"/api/generations/feed?style_id={style['id']}", headers=artist.headers).json
        assert generation["id"] in [item["id"] for item in by_style["items"]]
    mine = studio.client.get("/api/generations/me", headers=alice.headers)
    assert not leaks(mine, gone_private) and all(item["style"] is None for item in mine.json["items"])
    told = studio.client.get("/api/notifications", headers=alice.headers).json["items"]
    since = [item for item in told if item["type"] != "generation.completed" or item["data"]["id"] == pending["id"]]
    assert len(since) == 3  # told after the style went private (the first image's completion, before, named it)
    assert not any(gone_private["id"] in str(item) or gone_private["name"] in str(item) for item in since)


def test_an_uploaded_image_is_stored_clean(studio, artist, storage_root):
    page = b"<html><body><script>alert(document.cookie)</script></body></html>"
    images = training_set(10, "PNG")
    original = images[0][1]
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    exif[0x010E] = "<html>in the metadata</html>"  # ImageDescription
    turned = image_bytes("JPEG", (300, 400), seed=3, exif=exif.tobytes(), comment=page)
    images[0], images[1] = ("page.png", original + page), ("turned.png", turned)
    style = studio.style(artist, images=images)
    stored = storage_root / "styles" / style["id"] / "images"
    first, second = (stored / "1.png").read_bytes(), (stored / "2.jpg").read_bytes()
    assert page not in first and b"<html" not in first and b"<html" not in second
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(first))), np.asarray(Image.open(io.BytesIO(original))))
    upright = Image.open(io.BytesIO(second))
    assert upright.size == (400, 300) and not dict(upright.getexif())  # turned as the EXIF said, EXIF gone
    assert served(studio, previews(studio, style, artist)[0])
