"""A résumé's photo: PNG or JPEG recognised by decoding it, stored as a clean copy through the storage port,
shown by a signed URL that only works for its holder; anything else refused with nothing stored."""

import io

import pytest
from PIL import Image
from resumes_kit import resume_body
from studio_kit import image_bytes

from gateway.careers import rules


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def client(studio_app):
    return studio_app.test_client()


@pytest.fixture
def resume(client, alice) -> dict:
    response = client.post("/api/resumes", json=resume_body(), headers=alice.headers)
    assert response.status_code == 201
    return response.json


def upload(client, who, resume_id: str, data: bytes, name: str = "me.png", field: str = "photo"):
    return client.post(
        f"/api/resumes/{resume_id}/photo",
        data={field: (io.BytesIO(data), name)},
        headers=who.headers,
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(("fmt", "extension", "mimetype"), [("PNG", "png", "image/png"), ("JPEG", "jpg", "image/jpeg")])
def test_a_png_or_jpeg_photo_is_stored_and_shown_by_signed_url(
    client, alice, resume, storage_root, fmt, extension, mimetype
):
    response = upload(client, alice, resume["id"], image_bytes(fmt, (120, 160)), name="portrait.bin")
    assert response.status_code == 200, response.json
    url = response.json["photo_url"]
    path, _, query = url.partition("?")
    assert path.startswith(f"/media/resumes/{resume['id']}/photos/") and path.endswith(f".{extension}")
    assert "X-Amz-Signature=" in query
    assert response.json["updated_at"] > resume["updated_at"]
    assert {k: v for k, v in response.json.items() if k not in ("photo_url", "updated_at")} == {
        k: v for k, v in resume.items() if k not in ("photo_url", "updated_at")
    }
    served = client.get(url)
    assert served.status_code == 200 and served.mimetype == mimetype
    assert Image.open(io.BytesIO(served.data)).size == (120, 160)
    assert client.get(path).status_code == 404  # never without its signature
    again = client.get(f"/api/resumes/{resume['id']}", headers=alice.headers).json["photo_url"]
    assert again.partition("?")[0] == path


def test_a_new_photo_replaces_the_old_under_a_key_of_its_own(client, alice, resume):
    first = upload(client, alice, resume["id"], image_bytes("PNG", (64, 64))).json["photo_url"]
    second = upload(client, alice, resume["id"], image_bytes("JPEG", (64, 64), seed=1)).json["photo_url"]
    assert first.partition("?")[0] != second.partition("?")[0]
    assert (
        client.get(f"/api/resumes/{resume['id']}", headers=alice.headers)
        .json["photo_url"]
        .startswith(second.partition("?")[0])
    )


def photos_of(storage_root, resume_id: str) -> list[str]:
    return [f for f in stored_files(storage_root) if f.startswith(f"resumes/{resume_id}/photos/")]


def test_a_replaced_photo_leaves_the_store(client, alice, resume, storage_root):
    upload(client, alice, resume["id"], image_bytes("PNG", (64, 64)))
    second = upload(client, alice, resume["id"], image_bytes("JPEG", (64, 64), seed=1)).json["photo_url"]
    assert photos_of(storage_root, resume["id"]) == [second.partition("?")[0].removeprefix("/media/")]


def test_closing_the_account_deletes_its_photos_deleted_resumes_too(client, accounts, alice, bob, storage_root):
    """The rows go in the closure's transaction, the files once it has committed; another user's stay."""
    mine = [client.post("/api/resumes", json=resume_body(), headers=alice.headers).json["id"] for _ in range(2)]
    theirs = client.post("/api/resumes", json=resume_body(), headers=bob.headers).json["id"]
    for resume_id, who in ((mine[0], alice), (mine[1], alice), (theirs, bob)):
        assert upload(client, who, resume_id, image_bytes("PNG", (64, 64))).status_code == 200
    assert client.delete(f"/api/resumes/{mine[1]}", headers=alice.headers).status_code == 204
    assert all(photos_of(storage_root, resume_id) for resume_id in (*mine, theirs))
    closed = client.delete("/api/users/me", json={"password": accounts.PASSWORD}, headers=alice.headers)
    assert closed.status_code == 204, closed.json
    assert [photos_of(storage_root, resume_id) for resume_id in mine] == [[], []]
    assert len(photos_of(storage_root, theirs)) == 1


def test_what_is_stored_is_a_clean_copy(client, alice, resume, storage_root):
    data = image_bytes("PNG", (64, 64)) + b"<html><script>alert(1)</script></html>"
    response = upload(client, alice, resume["id"], data)
    assert response.status_code == 200
    path = response.json["photo_url"].partition("?")[0].removeprefix("/media/")
    assert b"<html>" not in (storage_root / path).read_bytes()


REFUSED = {
    "a text file named .png": (b"just some text, not an image" * 10, "me.png", 422),
    "a truncated png": (image_bytes("PNG", (64, 64))[:200], "me.png", 422),
    "a webp": (image_bytes("WEBP", (64, 64)), "me.webp", 422),
    "a gif": (b"GIF89a" + b"\x00" * 100, "me.gif", 422),
    "too small": (image_bytes("PNG", (8, 8)), "me.png", 422),
    "larger than the limit": (b"\x89PNG\r\n\x1a\n" + b"\x00" * rules.PHOTO_MAX_BYTES, "me.png", 422),
    "far larger than the limit": (b"\x00" * (rules.PHOTO_MAX_BYTES + 256 * 1024), "me.png", 413),
}


@pytest.mark.parametrize(("data", "name", "status"), REFUSED.values(), ids=REFUSED.keys())
def test_anything_but_a_png_or_jpeg_is_refused_and_nothing_is_stored(
    client, alice, resume, storage_root, data, name, status
):
    before = stored_files(storage_root)
    response = upload(client, alice, resume["id"], data, name)
    assert response.status_code == status, response.json
    assert response.content_type == "application/problem+json"
    assert stored_files(storage_root) == before
    assert client.get(f"/api/resumes/{resume['id']}", headers=alice.headers).json["photo_url"] is None


def test_a_missing_photo_field_or_a_json_body_is_refused(client, alice, resume):
    assert upload(client, alice, resume["id"], image_bytes("PNG", (64, 64)), field="picture").status_code == 422
    no_file = client.post(
        f"/api/resumes/{resume['id']}/photo", data={}, headers=alice.headers, content_type="multipart/form-data"
    )
    assert no_file.status_code == 422 and no_file.content_type == "application/problem+json"
    as_json = client.post(f"/api/resumes/{resume['id']}/photo", json={"photo": "x"}, headers=alice.headers)
    assert as_json.status_code == 415


def test_another_users_or_a_deleted_resume_takes_no_photo(client, alice, bob, resume, storage_root):
    before = stored_files(storage_root)
    assert upload(client, bob, resume["id"], image_bytes("PNG", (64, 64))).status_code == 404
    assert client.delete(f"/api/resumes/{resume['id']}", headers=alice.headers).status_code == 204
    assert upload(client, alice, resume["id"], image_bytes("PNG", (64, 64))).status_code == 404
    assert stored_files(storage_root) == before
