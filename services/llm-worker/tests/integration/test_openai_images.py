"""The `openai` image engine against a real local OpenAI-compatible images server (the SDK is not mocked)."""

import pytest
from support.studio_fakes import MemoryStore, RecordingSender, artwork

from llm_worker.handlers.generate_image import GenerateImageHandler
from llm_worker.providers.base import PermanentProviderError, TransientProviderError
from llm_worker.studio.engines import RenderRequest
from llm_worker.studio.images import training_pixels
from llm_worker.studio.model_cache import ModelCache
from llm_worker.studio.openai_images import OpenAIImageEngine, api_size
from llm_worker.studio.reports import StudioReporter
from llm_worker.studio.training import train
from shared import signature
from shared.amqp.outcomes import Ack, Delivery
from shared.messages import GenerateImage

API_KEY = "sk-test-images"


@pytest.fixture(scope="module")
def model():
    return train([training_pixels(artwork(seed), 40_000_000) for seed in range(4)], 4, seed=2)


def engine(server, model_name="gpt-image-1", **options):
    return OpenAIImageEngine(API_KEY, model_name, server.base_url, **({"timeout": 5.0, "max_retries": 0} | options))


def test_an_image_is_generated_and_fitted_to_the_requested_size(images_standin, model):
    image = engine(images_standin).render(model, RenderRequest(("sea", "night"), 7, 512, 1024))

    assert image.size == (512, 1024) and image.mode == "RGB"
    [request] = images_standin.requests
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.json["model"] == "gpt-image-1" and request.json["size"] == "1024x1536"
    assert request.json["n"] == 1 and "response_format" not in request.json
    prompt = request.json["prompt"]
    assert prompt.startswith("sea, night.")
    assert all(f"#{r:02x}{g:02x}{b:02x}" in prompt for r, g, b in model.palette[:3])


def test_dall_e_models_ask_for_base64(images_standin, model):
    engine(images_standin, "dall-e-3").render(model, RenderRequest(("sea",), 1, 1024, 1024))

    assert images_standin.requests[0].json["response_format"] == "b64_json"
    assert images_standin.requests[0].json["size"] == "1024x1024"


@pytest.mark.parametrize(
    ("model_name", "width", "height", "size"),
    [
        ("gpt-image-1", 512, 512, "1024x1024"),
        ("gpt-image-1", 512, 1024, "1024x1536"),
        ("dall-e-3", 512, 1024, "1024x1792"),
        ("dall-e-2", 512, 512, "512x512"),
        ("dall-e-2", 1024, 1024, "1024x1024"),
    ],
)
def test_the_closest_supported_size_is_requested(model_name, width, height, size):
    assert api_size(model_name, width, height) == size


@pytest.mark.parametrize(
    ("behaviour", "error", "code"),
    [
        (("status", 429, {"retry-after-ms": "1"}), TransientProviderError, "rate_limited"),
        (("status", 500), TransientProviderError, "provider_5xx"),
        (("status", 400), PermanentProviderError, "bad_request"),
        (("status", 401), PermanentProviderError, "auth_failed"),
        (("no_data",), TransientProviderError, "malformed_response"),
        (("bad_b64",), TransientProviderError, "malformed_response"),
        (("not_image",), TransientProviderError, "malformed_response"),
    ],
    ids=["429", "500", "400", "401", "no-data", "bad-base64", "not-an-image"],
)
def test_errors_map_onto_the_provider_errors(images_standin, model, behaviour, error, code):
    images_standin.script([behaviour])

    with pytest.raises(error) as caught:
        engine(images_standin).render(model, RenderRequest(("sea",), 1, 512, 512))

    assert caught.value.code == code


def test_the_sdk_retries_a_rate_limit(images_standin, model):
    images_standin.script([("status", 429, {"retry-after-ms": "1"})])

    image = engine(images_standin, max_retries=1).render(model, RenderRequest(("sea",), 1, 512, 512))

    assert image.size == (512, 512) and len(images_standin.requests) == 2


def test_an_openai_image_is_signed_stored_once_and_reported(images_standin, model):
    store, sender = MemoryStore(), RecordingSender()
    store.objects["styles/s1/model.json"] = model.to_json()
    handler = GenerateImageHandler(store, ModelCache(store), engine(images_standin), StudioReporter(sender))
    message = GenerateImage(
        generation_id="g-openai",
        style_id="s1",
        artist_id="a1",
        model_key="styles/s1/model.json",
        prompt_tags=["sea"],
        aspect_ratio="2:2",
        seed=5,
        signature_id=123456789,
        requested_at="2026-01-01T00:00:00+00:00",
    )
    body = message.to_json()

    assert handler(Delivery(body, "m1", GenerateImage.TYPE, {}, False, 1, 4)) == Ack()
    assert handler(Delivery(body, "m1", GenerateImage.TYPE, {}, True, 1, 4)) == Ack()

    assert len(images_standin.requests) == 1, "a redelivery must not pay for a second image"
    assert signature.extract(store.objects["generations/g-openai.png"]) == 123456789
    assert sender.paths() == ["progress", "complete", "complete"]
    metadata = sender.sent[1][2]["metadata"]
    assert metadata["engine"] == "openai" and (metadata["width"], metadata["height"]) == (1024, 1024)
    assert sender.sent[2] == sender.sent[1]
