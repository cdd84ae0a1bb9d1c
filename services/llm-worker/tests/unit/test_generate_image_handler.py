"""GenerateImage with fakes at the ports: render once, sign, store, report; every failure ends in a report."""

import json

import pytest
from support.studio_fakes import CountingEngine, MemoryStore, RecordingSender, artwork

from llm_worker.handlers.generate_image import GenerateImageHandler, result_key
from llm_worker.providers.base import PermanentProviderError, TransientProviderError
from llm_worker.studio.images import training_pixels
from llm_worker.studio.model_cache import ModelCache
from llm_worker.studio.reports import StudioReporter
from llm_worker.studio.training import train
from shared import signature
from shared.amqp.outcomes import Ack, DeadLetter, Delivery, Retry
from shared.messages import GenerateImage

MODEL_KEY = "styles/s1/model-test.json"


@pytest.fixture(scope="module")
def model_json():
    return train([training_pixels(artwork(seed), 40_000_000) for seed in range(4)], 4, seed=1).to_json()


@pytest.fixture
def store(model_json):
    store = MemoryStore()
    store.objects[MODEL_KEY] = model_json
    return store


@pytest.fixture
def sender():
    return RecordingSender()


@pytest.fixture
def engine():
    return CountingEngine()


@pytest.fixture
def handler(store, engine, sender):
    return GenerateImageHandler(store, ModelCache(store), engine, StudioReporter(sender))


def command(**overrides) -> GenerateImage:
    values = {
        "generation_id": "g-1",
        "style_id": "s1",
        "artist_id": "a1",
        "model_key": MODEL_KEY,
        "prompt_tags": ["sea", "night"],
        "aspect_ratio": "1:1",
        "seed": 7,
        "signature_id": 2**64 - 2,
        "requested_at": "2026-01-01T00:00:00+00:00",
    }
    return GenerateImage(**(values | overrides))


def delivery(body: bytes, attempt: int = 1, delivery_count: int = 0) -> Delivery:
    headers = {"x-delivery-count": delivery_count} if delivery_count else {}
    return Delivery(body, "m1", GenerateImage.TYPE, headers, False, attempt, 4)


def test_an_image_is_rendered_signed_stored_and_reported(handler, store, sender, engine):
    outcome = handler(delivery(command().to_json()))

    assert outcome == Ack() and engine.renders == 1
    [(method, path, body)] = sender.sent
    assert (method, path) == ("POST", "/api/webhooks/inference/complete")
    assert body == {
        "generation_id": "g-1",
        "result_url": "generations/g-1.png",
        "metadata": {
            "width": 512,
            "height": 512,
            "seed": 7,
            "signature_id": 2**64 - 2,
            "signature_verified": True,
            "engine": "embedded",
            "content_type": "image/png",
        },
    }
    assert signature.extract(store.objects[result_key("g-1")]) == 2**64 - 2


def test_a_redelivery_re_reports_the_stored_image_without_rendering(handler, store, sender, engine):
    handler(delivery(command().to_json()))
    stored = store.objects[result_key("g-1")]

    outcome = handler(delivery(command().to_json(), attempt=2))

    assert outcome == Ack() and engine.renders == 1 and store.puts.count(result_key("g-1")) == 1
    assert store.objects[result_key("g-1")] == stored
    first, second = sender.sent
    assert first == second


def test_a_1_to_2_image_is_512_by_1024(handler, store, sender):
    handler(delivery(command(aspect_ratio="1:2").to_json()))

    assert (sender.sent[0][2]["metadata"]["width"], sender.sent[0][2]["metadata"]["height"]) == (512, 1024)


@pytest.mark.parametrize(
    "overrides",
    [
        {"aspect_ratio": "16:9"},
        {"prompt_tags": "sea"},
        {"prompt_tags": ["x" * 65]},
        {"seed": "7"},
        {"signature_id": 2**64},
        {"signature_id": -1},
        {"model_key": "../secrets"},
        {"generation_id": "a/b"},
    ],
    ids=["ratio", "tags-not-list", "tag-too-long", "seed-str", "id-too-big", "id-negative", "model-key", "gen-id"],
)
def test_unusable_fields_are_reported_failed_and_dead_lettered(handler, sender, engine, overrides):
    outcome = handler(delivery(command(**overrides).to_json()))

    assert isinstance(outcome, DeadLetter) and engine.renders == 0
    [(_, path, body)] = sender.sent
    assert path == "/api/webhooks/inference/failed"
    assert body["error_code"] == "invalid_request" and body["generation_id"] == overrides.get("generation_id", "g-1")


def test_a_body_without_an_id_is_dead_lettered_unreported(handler, sender):
    assert isinstance(handler(delivery(b"{not json")), DeadLetter)
    assert isinstance(handler(delivery(json.dumps({"version": 1, "seed": 1}).encode())), DeadLetter)
    assert sender.sent == []


def test_a_missing_model_fails_for_good(handler, store, sender):
    outcome = handler(delivery(command(model_key="styles/none/model.json").to_json()))

    assert isinstance(outcome, DeadLetter)
    assert sender.sent[0][2]["error_code"] == "model_not_found"


def test_a_broken_model_fails_for_good(handler, store, sender):
    store.objects["styles/s1/broken.json"] = b"{}"

    outcome = handler(delivery(command(model_key="styles/s1/broken.json").to_json()))

    assert isinstance(outcome, DeadLetter) and sender.sent[0][2]["error_code"] == "invalid_model"


def test_an_unreachable_store_retries_then_fails_on_the_last_attempt(handler, store, sender):
    store.failures = 1
    assert isinstance(handler(delivery(command().to_json(), attempt=1)), Retry)
    assert sender.sent == []

    store.failures = 1
    outcome = handler(delivery(command().to_json(), attempt=4))

    assert isinstance(outcome, DeadLetter)
    assert sender.sent[0][2]["error_code"] == "storage_error"
    assert sender.sent[0][2]["error_message"].startswith("gave up after 4 attempts")


def test_engine_errors_retry_when_transient_and_fail_when_permanent(handler, engine, sender):
    engine.error = TransientProviderError("slow down", code="rate_limited")
    assert isinstance(handler(delivery(command().to_json())), Retry)

    engine.error = PermanentProviderError("bad key", code="auth_failed")
    outcome = handler(delivery(command().to_json()))

    assert isinstance(outcome, DeadLetter)
    assert sender.sent[-1][2]["error_code"] == "auth_failed"


def test_an_engine_crash_is_retried_and_finally_reported(handler, engine, sender):
    engine.error = ZeroDivisionError("bug")

    assert isinstance(handler(delivery(command().to_json())), Retry)
    assert isinstance(handler(delivery(command().to_json(), attempt=4)), DeadLetter)
    assert sender.sent[-1][2]["error_code"] == "engine_error"


def test_a_message_that_keeps_killing_the_worker_is_reported_failed(handler, engine, sender):
    outcome = handler(delivery(command().to_json(), delivery_count=4))

    assert isinstance(outcome, DeadLetter) and engine.renders == 0
    assert sender.sent[0][2]["error_code"] == "worker_crashed"


def test_a_slow_engine_reports_progress_first(store, sender):
    slow = CountingEngine(expected_seconds=30)
    handler = GenerateImageHandler(store, ModelCache(store), slow, StudioReporter(sender))

    handler(delivery(command().to_json()))

    assert sender.paths() == ["progress", "complete"]
    assert sender.sent[0][:2] == ("PATCH", "/api/webhooks/inference/progress")
    assert sender.sent[0][2]["progress"] == {
        "current_step": 0,
        "total_steps": 1,
        "progress_percent": 0,
        "estimated_seconds": 30,
    }


@pytest.mark.parametrize(("status", "kind"), [(404, DeadLetter), (422, DeadLetter), (0, Retry)])
def test_the_gateways_verdict_on_the_final_report_decides_the_ack(handler, sender, status, kind):
    sender.refuse_status = status

    assert isinstance(handler(delivery(command().to_json())), kind)


def test_a_stored_image_is_re_reported_even_after_many_crashes(handler, sender, engine):
    handler(delivery(command().to_json()))

    assert handler(delivery(command().to_json(), delivery_count=4)) == Ack()
    assert sender.paths() == ["complete", "complete"] and engine.renders == 1
