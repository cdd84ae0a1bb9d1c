"""The style studio end to end: gateway, outbox relay and llm-worker as processes; train a style, make images."""

import pytest
from e2e_stack import Stack, grant, studio_env, upload_style

GENERATIONS = 20


@pytest.fixture
def studio_stack(stack_env, tmp_path):
    stack = Stack(studio_env(stack_env, str(tmp_path / "storage")))
    yield stack
    stack.stop()


def test_a_style_is_trained_and_images_are_made_signed_and_paid_for(studio_stack, database_url):
    stack = studio_stack
    for name in ("gateway", "relay", "llm-worker"):
        stack.start(name)
    artist, uploaded = upload_style(stack)
    assert uploaded.status_code == 202, uploaded.text
    style = stack.wait_until_finished(f"/api/styles/{uploaded.json()['id']}")
    assert style["status"] == "completed", style
    assert style["training_metric"]["epochs"] == 10 and style["progress"]["percent"] == 100

    grant(database_url, artist["id"], 60 * GENERATIONS)
    generation = None
    for n in range(GENERATIONS):  # timed by `make bench-generations`, not here
        posted = stack.http.post(
            "/api/generations", json={"style_id": style["id"], "prompt_tags": ["dusk", f"n{n}"], "aspect_ratio": "1:1"}
        )
        assert posted.status_code == 202, posted.text
        generation = stack.wait_until_finished(f"/api/generations/{posted.json()['id']}")
        assert generation["status"] == "completed", generation

    assert generation["metadata"]["width"] == 512 and generation["metadata"]["signature_verified"] is True
    image = stack.http.get(generation["image_url"])
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    verified = stack.http.post("/api/signatures/verify", files={"image": ("found.png", image.content, "image/png")})
    assert verified.json()["found"] is True and verified.json()["generation_id"] == generation["id"]
    assert verified.json()["artist_username"] == artist["username"]
    balance = stack.http.get("/api/tokens/balance").json()["balance"]
    assert balance == GENERATIONS * 7  # paid 60 each; as the artist, earned 70 % of the price 10 back each
