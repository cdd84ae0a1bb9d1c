"""Generations: tokens spent atomically, the artist paid once, refunds once, the feed, provenance by signature."""

import io
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from PIL import Image
from studio_kit import SIGNATURE_KEY, image_bytes, training_set

from gateway.app import create_app
from gateway.studio.images import clean_image
from shared import signature


@pytest.fixture
def artist(studio):
    return studio.artist()


@pytest.fixture
def style(studio, artist):
    return studio.trained(artist, price_per_generation="20")


def ledger(studio, who) -> list[tuple]:
    return studio.sql.all(
        "SELECT type, amount, reference FROM token_transactions WHERE user_id = %s AND type <> 'grant' ORDER BY id",
        who.user["id"],
    )


def generations_of(studio, who) -> int:
    return studio.sql.one("SELECT count(*) FROM generations WHERE user_id = %s", who.user["id"])[0]


def commands_for(studio, who) -> list[dict]:
    rows = studio.sql.all(
        "SELECT payload FROM outbox o JOIN generations g ON g.id::text = o.payload->>'generation_id' "
        "WHERE o.message_type = 'GenerateImage' AND g.user_id = %s",
        who.user["id"],
    )
    return [row[0] for row in rows]


def test_a_generation_spends_its_tokens_and_is_queued(studio, style, alice):
    studio.grant(alice, 200)
    response = studio.generate(alice, style["id"], aspect_ratio="2:2", prompt_tags=[" sea ", "night   sky"], seed=7)
    assert response.status_code == 202, response.json
    generation = response.json
    assert response.headers["Location"] == f"/api/generations/{generation['id']}"
    assert generation["status"] == "queued" and generation["cost"] == 75 + 20 and generation["seed"] == 7
    assert generation["prompt_tags"] == ["sea", "night sky"] and generation["image_url"] is None
    assert generation["style"] == {"id": style["id"], "name": style["name"]}
    assert generation["artist"]["id"] == style["artist"]["id"] and generation["user"]["id"] == alice.user["id"]
    assert isinstance(generation["signature_id"], str) and 0 < int(generation["signature_id"]) < 2**63
    assert studio.balance(alice) == 200 - 95
    assert ledger(studio, alice) == [("spend", -95, generation["id"])]
    [command] = commands_for(studio, alice)
    assert command["model_key"] == f"styles/{style['id']}/model-x.json" and command["aspect_ratio"] == "2:2"
    assert command["signature_id"] == int(generation["signature_id"]) and command["seed"] == 7
    assert command["artist_id"] == style["artist"]["id"] and command["prompt_tags"] == ["sea", "night sky"]
    read = studio.client.get(f"/api/generations/{generation['id']}", headers=alice.headers).json
    assert read["status"] == "queued" and read["progress"]["percent"] == 0


def test_a_seed_is_drawn_when_none_is_given(studio, style, alice):
    studio.grant(alice, 100)
    generation = studio.generate(alice, style["id"]).json
    assert 0 <= generation["seed"] < 2**32 and generation["cost"] == 70


def test_short_of_tokens_is_402_and_changes_nothing(studio, style, alice):
    studio.grant(alice, 69)
    response = studio.generate(alice, style["id"])
    assert response.status_code == 402 and response.content_type == "application/problem+json"
    assert "70 tokens" in response.json["detail"]
    assert studio.balance(alice) == 69 and generations_of(studio, alice) == 0
    assert ledger(studio, alice) == [] and commands_for(studio, alice) == []


def test_an_untrained_style_is_422_and_a_hidden_one_404(studio, artist, alice):
    studio.grant(alice, 1000)
    studio.grant(artist, 1000)
    queued = studio.style(artist)
    private = studio.trained(artist, visibility="private")
    deleted = studio.trained(artist)
    studio.client.delete(f"/api/styles/{deleted['id']}", headers=artist.headers)
    untrained = studio.generate(alice, queued["id"])
    assert untrained.status_code == 422 and untrained.json["errors"][0]["pointer"] == "/style_id"
    assert studio.generate(artist, queued["id"]).status_code == 422
    for style_id in (private["id"], deleted["id"], str(uuid.uuid4())):
        assert studio.generate(alice, style_id).status_code == 404
    assert studio.generate(artist, private["id"]).status_code == 202  # the artist's own private style
    assert studio.balance(alice) == 1000 and generations_of(studio, alice) == 0


@pytest.mark.parametrize(
    "change",
    [
        {"prompt_tags": []},
        {"prompt_tags": [f"t{n}" for n in range(21)]},
        {"prompt_tags": ["x" * 51]},
        {"prompt_tags": ["   "]},
        {"prompt_tags": "sunset"},
        {"aspect_ratio": "16:9"},
        {"seed": -1},
        {"seed": 2**32},
        {"seed": "7"},
        {"style_id": "not-a-uuid"},
    ],
)
def test_bad_requests_are_422_and_spend_nothing(studio, style, alice, change):
    studio.grant(alice, 500)
    fields = {"style_id": style["id"], **change}
    response = studio.generate(alice, fields.pop("style_id"), **fields)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert studio.balance(alice) == 500 and generations_of(studio, alice) == 0


def test_an_idempotency_key_makes_a_retry_safe(studio, style, alice):
    studio.grant(alice, 200)
    body = {"style_id": style["id"], "prompt_tags": ["fog"], "aspect_ratio": "1:1"}
    headers = {**alice.headers, "Idempotency-Key": str(uuid.uuid4())}
    first = studio.client.post("/api/generations", json=body, headers=headers)
    retry = studio.client.post("/api/generations", json=body, headers=headers)
    assert (first.status_code, retry.status_code) == (202, 202) and retry.json == first.json
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert studio.balance(alice) == 130 and generations_of(studio, alice) == 1


def test_a_hundred_concurrent_generations_against_ten_generations_worth(studio, style, alice):
    studio.grant(alice, 700)  # ten 1:1 generations at 50 + 20

    def attempt(_):
        return studio.generate(alice, style["id"], client=studio.app.test_client()).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(attempt, range(100)))
    assert answers.count(202) == 10 and answers.count(402) == 90, answers
    assert studio.balance(alice) == 0 and generations_of(studio, alice) == 10
    assert len(commands_for(studio, alice)) == 10
    assert sum(amount for _, amount, _ in ledger(studio, alice)) == -700


def test_completion_pays_the_artist_once(studio, style, artist, alice):
    studio.grant(alice, 100)
    generation = studio.generate(alice, style["id"]).json
    progress = {"current_step": 1, "total_steps": 4, "progress_percent": 25, "estimated_seconds": 2}
    assert (
        studio.report("inference", "progress", {"generation_id": generation["id"], "progress": progress}).json["status"]
        == "processing"
    )
    assert studio.complete(generation["id"]).json["result"] == "applied"
    assert studio.complete(generation["id"]).json["result"] == "stale"  # re-posted under a new webhook id
    late = {"generation_id": generation["id"], "progress": progress}
    assert studio.report("inference", "progress", late).json["result"] == "stale"
    assert studio.fail(generation["id"]).json["result"] == "stale"
    assert ledger(studio, artist) == [("earn", 14, generation["id"])]  # 70 % of the style's 20
    assert studio.balance(artist) == 14 and studio.balance(alice) == 30
    read = studio.client.get(f"/api/generations/{generation['id']}", headers=alice.headers).json
    assert read["status"] == "completed" and read["image_url"] == f"/media/generations/{generation['id']}.png"
    assert read["metadata"]["engine"] == "embedded" and read["progress"]["percent"] == 100
    assert studio.client.get(f"/api/styles/{style['id']}").json["generation_count"] == 1
    assert studio.sql.one(
        "SELECT count(*) FROM notifications WHERE user_id = %s AND type = 'generation.completed'", alice.user["id"]
    ) == (1,)


def test_the_artists_share_follows_the_price_paid(studio, style, artist, alice):
    studio.grant(alice, 100)
    generation = studio.generate(alice, style["id"]).json
    studio.client.patch(f"/api/styles/{style['id']}", json={"price_per_generation": 50}, headers=artist.headers)
    studio.complete(generation["id"])
    assert studio.balance(artist) == 14  # the share of the 20 paid, not of the new price


def test_a_failure_refunds_exactly_once(studio, style, alice):
    studio.grant(alice, 100)
    generation = studio.generate(alice, style["id"]).json
    replayed_id = f"msg_{uuid.uuid4().hex}"
    first = studio.fail(generation["id"], replayed_id)
    assert first.json["result"] == "applied"
    assert studio.fail(generation["id"], replayed_id).json["replayed"] is True  # the same webhook id
    assert studio.fail(generation["id"]).json["result"] == "stale"  # a new webhook id for the same failure
    assert studio.complete(generation["id"]).json["result"] == "stale"
    assert studio.balance(alice) == 100
    assert ledger(studio, alice) == [("spend", -70, generation["id"]), ("refund", 70, generation["id"])]
    read = studio.client.get(f"/api/generations/{generation['id']}", headers=alice.headers).json
    assert (read["status"], read["error_code"], read["image_url"]) == ("failed", "engine_error", None)
    body = studio.sql.one(
        "SELECT body FROM notifications WHERE user_id = %s AND type = 'generation.failed'", alice.user["id"]
    )[0]
    assert "70 tokens went back" in body


def test_who_sees_a_generation(studio, style, alice, bob):
    studio.grant(alice, 500)
    private = studio.generate(alice, style["id"], public=False).json
    public = studio.generate(alice, style["id"]).json
    unfinished = studio.generate(alice, style["id"]).json
    for generation in (private, public):
        studio.complete(generation["id"])
    assert studio.client.get(f"/api/generations/{private['id']}", headers=alice.headers).status_code == 200
    for other in (bob.headers, {}):
        for generation in (private, unfinished):
            response = studio.client.get(f"/api/generations/{generation['id']}", headers=other)
            assert response.status_code == 404 and response.content_type == "application/problem+json"
        assert studio.client.get(f"/api/generations/{public['id']}", headers=other).status_code == 200
    assert studio.client.get("/api/generations/nope").status_code == 404
    mine = studio.client.get("/api/generations/me", headers=alice.headers).json
    assert [g["id"] for g in mine["items"]] == [unfinished["id"], public["id"], private["id"]]
    assert studio.client.get("/api/generations/me", headers=bob.headers).json["total"] == 0
    only = studio.client.get("/api/generations/me", query_string={"status": "queued"}, headers=alice.headers).json
    assert [g["id"] for g in only["items"]] == [unfinished["id"]]


def test_the_feed_is_public_completed_newest_first_by_cursor(studio, style, alice):
    studio.grant(alice, 70 * 9)
    made = [studio.generate(alice, style["id"], public=n != 3).json["id"] for n in range(9)]
    for generation_id in made[:8]:  # the last stays queued
        studio.complete(generation_id)
    expected = [g for n, g in enumerate(made[:8]) if n != 3][::-1]
    seen, cursor = [], None
    while True:
        query = {"style_id": style["id"], "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = studio.client.get("/api/generations/feed", query_string=query).json
        seen += [g["id"] for g in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected
    first = studio.client.get("/api/generations/feed", query_string={"limit": 1}).json["items"][0]
    assert first["id"] == expected[0] and first["image_url"]
    assert studio.client.get("/api/generations/feed", query_string={"cursor": "garbage"}).status_code == 422


def test_generated_images_are_served_from_the_local_store(studio, style, alice, storage_root):
    studio.grant(alice, 100)
    generation = studio.generate(alice, style["id"]).json
    studio.complete(generation["id"])
    (storage_root / "generations").mkdir(exist_ok=True)
    (storage_root / "generations" / f"{generation['id']}.png").write_bytes(image_bytes("PNG"))
    (storage_root / "styles" / style["id"] / "model-x.json").write_text("{}")
    url = studio.client.get(f"/api/generations/{generation['id']}").json["image_url"]
    image = studio.client.get(url)
    assert image.status_code == 200 and image.content_type == "image/png"
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    for hidden in (
        f"/media/styles/{style['id']}/model-x.json",  # a style model is the artist's, never served
        "/media/generations/../styles/x.png",
        "/media/generations/missing.png",
    ):
        assert studio.client.get(hidden).status_code == 404


def signed_generation(studio, style, who) -> dict:
    studio.grant(who, 100)
    generation = studio.generate(who, style["id"], public=False).json
    studio.complete(generation["id"])
    return generation


def post_image(studio, data: bytes, name: str = "found.png"):
    return studio.client.post(
        "/api/signatures/verify", data={"image": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def test_verify_names_the_generation_style_and_artist(studio, style, artist, alice):
    generation = signed_generation(studio, style, alice)
    picture = Image.open(io.BytesIO(image_bytes("PNG", size=(512, 512))))
    signed = signature.embed(picture, int(generation["signature_id"]), SIGNATURE_KEY.encode())
    buffer = io.BytesIO()
    signed.save(buffer, "JPEG", quality=85)  # a re-encoded copy still carries it
    found = post_image(studio, buffer.getvalue(), "copy.jpg")
    assert found.status_code == 200
    assert found.json == {
        "found": True,
        "generation_id": generation["id"],
        "style_id": style["id"],
        "style_name": style["name"],
        "artist_id": artist.user["id"],
        "artist_username": artist.user["username"],
        "signature_id": generation["signature_id"],
        "created_at": found.json["created_at"],
    }


def test_verify_names_no_private_style(studio, artist):
    """Provenance is public: it names the generation and the artist, never a style its artist keeps private."""
    private = studio.trained(artist, visibility="private")
    generation = signed_generation(studio, private, artist)
    picture = Image.open(io.BytesIO(image_bytes("PNG", size=(512, 512))))
    buffer = io.BytesIO()
    signature.embed(picture, int(generation["signature_id"]), SIGNATURE_KEY.encode()).save(buffer, "PNG")
    found = post_image(studio, buffer.getvalue())
    assert found.json["found"] is True and found.json["generation_id"] == generation["id"]
    assert found.json["style_id"] is None and found.json["style_name"] is None
    assert private["id"] not in found.get_data(as_text=True) and private["name"] not in found.get_data(as_text=True)


def test_verify_finds_nothing_in_a_plain_image(studio):
    response = post_image(studio, image_bytes("PNG", size=(512, 512)))
    assert response.status_code == 200 and response.json == {"found": False, "detail": "no signature found"}


def test_verify_tells_an_unknown_signature(studio):
    picture = Image.open(io.BytesIO(image_bytes("PNG", size=(300, 300))))
    buffer = io.BytesIO()
    signature.embed(picture, 12345, SIGNATURE_KEY.encode()).save(buffer, "PNG")
    response = post_image(studio, buffer.getvalue())
    assert response.json["found"] is False and "did not issue" in response.json["detail"]


def test_verify_refuses_what_is_not_an_image(studio):
    not_image = post_image(studio, b"%PDF-1.7 not a picture", "doc.png")
    assert not_image.status_code == 422 and not_image.content_type == "application/problem+json"
    missing = studio.client.post("/api/signatures/verify", data={"x": "y"}, content_type="multipart/form-data")
    assert missing.status_code == 422
    assert studio.client.post("/api/signatures/verify", json={"image": "x"}).status_code == 415


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server on a free local port, with a bucket (boto3 is not patched)."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3", region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id="t", aws_secret_access_key="t"
    ).create_bucket(Bucket="studio")
    yield endpoint
    server.stop()


def test_with_s3_images_go_to_the_bucket_and_urls_are_presigned(studio, studio_settings, s3_endpoint, alice):
    s3 = {"storage_backend": "s3", "s3_bucket": "studio", "s3_endpoint_url": s3_endpoint}
    client = create_app(
        studio_settings.model_copy(update=s3 | {"aws_access_key_id": "t", "aws_secret_access_key": "t"})
    )
    client = client.test_client()
    artist = studio.artist()
    uploaded = studio.upload(artist, client=client)
    assert uploaded.status_code == 202
    preview = uploaded.json["preview_urls"][0]
    assert preview.startswith(f"{s3_endpoint}/studio/styles/{uploaded.json['id']}/images/1.jpg?")
    assert "X-Amz-Signature=" in preview
    assert httpx.get(preview).content == clean_image(training_set()[0][1], 1, 4096)[1]  # the copy encoded again
    assert client.get(f"/media/styles/{uploaded.json['id']}/images/1.jpg").status_code == 404  # no local route
    body = {"style_id": uploaded.json["id"], "model_path": "styles/m.json", "training_metric": {"loss": 0, "epochs": 1}}
    studio.report("training", "complete", body)
    public = client.get(f"/api/styles/{uploaded.json['id']}").json["preview_urls"]
    assert all("X-Amz-Signature=" in url for url in public)  # a public style's too: the bucket is never public
    studio.grant(alice, 100)
    generation = studio.generate(alice, uploaded.json["id"], client=client).json
    studio.complete(generation["id"])
    url = client.get(f"/api/generations/{generation['id']}", headers=alice.headers).json["image_url"]
    assert url.startswith(f"{s3_endpoint}/studio/generations/{generation['id']}.png?") and "X-Amz-Expires=" in url
