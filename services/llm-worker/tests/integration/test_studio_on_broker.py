"""The studio consumers on the real broker (disk or S3 on moto), reporting to a signature-checking receiver."""

import json
import threading
import uuid

import httpx
import pytest
from support.studio_broker import (
    INFERENCE,
    TRAINING,
    declare_fresh,
    depth,
    publish,
    running,
    take_dead,
    worker_settings,
)
from support.studio_fakes import COLOURS, CountingEngine, artwork

from llm_worker.bootstrap import Worker
from llm_worker.studio.images import training_pixels
from llm_worker.studio.model import StyleModel
from llm_worker.studio.training import train
from shared import signature
from shared.messages import GenerateImage, TrainStyle
from shared.storage import LocalDiskStore
from shared.testing import wait_until


@pytest.fixture
def settings(amqp_url, studio_receiver, studio_secrets, tmp_path):
    declare_fresh(amqp_url)
    return worker_settings(amqp_url, studio_receiver.url, studio_secrets, str(tmp_path / "storage"))


@pytest.fixture
def store(settings):
    return LocalDiskStore(settings.storage_dir)


@pytest.fixture
def engine():
    return CountingEngine()


@pytest.fixture
def worker(settings, engine, store):
    return Worker(settings, image_engine=engine, store=store)


def upload_images(store, style_id: str, count: int = 10) -> list[str]:
    keys = []
    for n in range(count):
        key = f"uploads/{style_id}/{n}.{'png' if n % 2 else 'jpg'}"
        store.put(key, artwork(n, fmt="PNG" if n % 2 else "JPEG"))
        keys.append(key)
    return keys


def trained_model(store, style_id: str) -> str:
    key = f"styles/{style_id}/model-fixture.json"
    model = train([training_pixels(artwork(n), 40_000_000) for n in range(4)], 4, seed=9)
    store.put(key, model.to_json(), "application/json")
    return key


def generation(model_key: str, **overrides) -> GenerateImage:
    values = {
        "generation_id": str(uuid.uuid4()),
        "style_id": "s",
        "artist_id": "a",
        "model_key": model_key,
        "prompt_tags": ["harbour", "dusk"],
        "aspect_ratio": "1:1",
        "seed": 1234,
        "signature_id": 0xFEEDFACE_0BADF00D,
        "requested_at": "2026-01-01T00:00:00+00:00",
    }
    return GenerateImage(**(values | overrides))


def test_a_training_reports_each_epoch_then_completes_with_its_model(worker, amqp_url, studio_receiver, store):
    style_id = str(uuid.uuid4())
    message = TrainStyle(
        style_id=style_id,
        artist_id="artist-1",
        image_keys=upload_images(store, style_id),
        epochs=6,
        requested_at="2026-01-01T00:00:00+00:00",
    )
    with running(worker):
        publish(amqp_url, message)
        [complete] = studio_receiver.wait_for(style_id, "complete")
        assert wait_until(lambda: depth(amqp_url, TRAINING.name) == 0, 10)

    progress = [r.body["progress"] for r in studio_receiver.about(style_id, "progress")]
    assert [p["current_epoch"] for p in progress] == [1, 2, 3, 4, 5, 6]
    assert progress[-1]["progress_percent"] == 100 and progress[-1]["estimated_seconds"] == 0
    assert {r.family for r in studio_receiver.about(style_id)} == {"training"}
    model_path = complete.body["model_path"]
    assert model_path.startswith(f"styles/{style_id}/model-") and store.exists(model_path)
    model = StyleModel.from_json(store.get(model_path))
    assert complete.body["training_metric"] == {"loss": model.loss, "epochs": 6}
    assert all(min(sum((a - b) ** 2 for a, b in zip(c, p, strict=True)) for p in model.palette) < 400 for c in COLOURS)
    assert studio_receiver.rejected_signatures == 0 and take_dead(amqp_url, TRAINING.dead_name) == []


def test_a_generation_is_stored_signed_and_completed(worker, amqp_url, studio_receiver, store, engine):
    message = generation(trained_model(store, "s-gen"), aspect_ratio="1:2")
    with running(worker):
        publish(amqp_url, message)
        [complete] = studio_receiver.wait_for(message.generation_id, "complete")
        assert wait_until(lambda: depth(amqp_url, INFERENCE.name) == 0, 10)

    assert complete.family == "inference"
    assert complete.body["result_url"] == f"generations/{message.generation_id}.png"
    assert complete.body["metadata"] == {
        "width": 512,
        "height": 1024,
        "seed": 1234,
        "signature_id": 0xFEEDFACE_0BADF00D,
        "signature_verified": True,
        "engine": "embedded",
        "content_type": "image/png",
    }
    assert signature.extract(store.get(complete.body["result_url"])) == 0xFEEDFACE_0BADF00D
    assert engine.renders == 1 and studio_receiver.rejected_signatures == 0


def test_a_redelivered_generation_renders_once_and_reports_twice(worker, amqp_url, studio_receiver, store, engine):
    message = generation(trained_model(store, "s-redelivery"))
    with running(worker):
        message_id = publish(amqp_url, message)
        studio_receiver.wait_for(message.generation_id, "complete")
        publish(amqp_url, message, message_id=message_id)
        reports = studio_receiver.wait_for(message.generation_id, "complete", count=2)

    assert engine.renders == 1
    assert reports[0].body == reports[1].body


def test_a_corrupt_training_image_fails_the_training(worker, amqp_url, studio_receiver, store):
    style_id = str(uuid.uuid4())
    keys = upload_images(store, style_id)
    store.put(keys[4], b"\xff\xd8\xff\xe0 this JPEG stops here")
    message = TrainStyle(
        style_id=style_id, artist_id="a", image_keys=keys, epochs=5, requested_at="2026-01-01T00:00:00+00:00"
    )
    with running(worker):
        publish(amqp_url, message)
        [failed] = studio_receiver.wait_for(style_id, "failed")
        assert wait_until(lambda: depth(amqp_url, TRAINING.name) == 0, 10)

    assert failed.body["error_code"] == "unreadable_image" and keys[4] in failed.body["error_message"]
    assert studio_receiver.about(style_id, "complete") == []
    assert take_dead(amqp_url, TRAINING.dead_name) == []


def test_a_poison_generation_is_reported_failed_then_dead_lettered(worker, amqp_url, studio_receiver, engine):
    message = generation("styles/x/model.json", aspect_ratio="3:4")
    with running(worker):
        publish(amqp_url, message)
        [failed] = studio_receiver.wait_for(message.generation_id, "failed")
        dead = wait_until(lambda: take_dead(amqp_url, INFERENCE.dead_name), 10)

    assert failed.body["error_code"] == "invalid_request" and "aspect_ratio" in failed.body["error_message"]
    assert [json.loads(body)["generation_id"] for body in dead] == [message.generation_id]
    assert engine.renders == 0


def test_the_message_waits_until_the_gateway_accepts_the_result(worker, amqp_url, studio_receiver, store):
    message = generation(trained_model(store, "s-outage"))
    studio_receiver.unavailable = 3
    with running(worker):
        publish(amqp_url, message)
        studio_receiver.wait_for(message.generation_id, "complete")
        assert wait_until(lambda: depth(amqp_url, INFERENCE.name) == 0, 10)

    assert studio_receiver.unavailable == 0 and take_dead(amqp_url, INFERENCE.dead_name) == []


def test_a_slow_training_does_not_hold_up_generations(worker, amqp_url, studio_receiver, store):
    style_id = str(uuid.uuid4())
    keys = upload_images(store, style_id)
    studio_receiver.gates["training"] = threading.Event()  # the training's first report hangs
    message = generation(trained_model(store, "s-parallel"))
    with running(worker):
        publish(amqp_url, TrainStyle(style_id=style_id, artist_id="a", image_keys=keys, epochs=3, requested_at="x"))
        publish(amqp_url, message)
        [complete] = studio_receiver.wait_for(message.generation_id, "complete")
        assert studio_receiver.about(style_id) == []
        studio_receiver.gates["training"].set()
        studio_receiver.wait_for(style_id, "complete")

    assert complete.body["metadata"]["signature_verified"] is True


def test_generations_on_s3_are_fetched_by_presigned_url(amqp_url, studio_receiver, studio_secrets, s3_bucket):
    declare_fresh(amqp_url)
    settings = worker_settings(
        amqp_url, studio_receiver.url, studio_secrets, "unused", storage_backend="s3", **s3_bucket
    )
    worker = Worker(settings)
    model_key = trained_model(worker.store, "s-s3")
    message = generation(model_key)
    with running(worker):
        publish(amqp_url, message)
        [complete] = studio_receiver.wait_for(message.generation_id, "complete")

    response = httpx.get(worker.store.url(complete.body["result_url"], expires=60))
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert signature.extract(response.content) == 0xFEEDFACE_0BADF00D


@pytest.fixture(scope="module")
def s3_bucket():
    """moto's S3 server with a bucket, as S3 settings."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    values = {
        "s3_bucket": "studio",
        "s3_endpoint_url": f"http://{host}:{port}",
        "aws_access_key_id": "testing",
        "aws_secret_access_key": "testing",
    }
    client = boto3.client(
        "s3",
        region_name="us-east-1",
        endpoint_url=values["s3_endpoint_url"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket="studio")
    yield values
    server.stop()
