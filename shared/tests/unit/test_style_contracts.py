"""The style studio's contracts: its messages, its queues, and the exact webhook bodies AI servers post."""

import json

import pytest

from shared.amqp.topology import llm_worker_inference, llm_worker_training, work_queues
from shared.messages import GenerateImage, TrainStyle
from shared.messages.base import MessageError, decode
from shared.messages.styles import (
    ASPECT_RATIO_SIZES,
    EpochProgress,
    InferenceCompleted,
    InferenceFailed,
    InferenceProgress,
    StepProgress,
    TrainingCompleted,
    TrainingFailed,
    TrainingMetric,
    TrainingProgress,
)

TRAIN = TrainStyle(
    style_id="s1",
    artist_id="a1",
    image_keys=["uploads/s1/0.png", "uploads/s1/1.jpg"],
    epochs=10,
    requested_at="2026-01-01T00:00:00+00:00",
)
GENERATE = GenerateImage(
    generation_id="g1",
    style_id="s1",
    artist_id="a1",
    model_key="styles/s1/model-abc.json",
    prompt_tags=["sea", "night"],
    aspect_ratio="1:2",
    seed=42,
    signature_id=2**64 - 1,
    requested_at="2026-01-01T00:00:00+00:00",
)


@pytest.mark.parametrize("message", [TRAIN, GENERATE], ids=["train", "generate"])
def test_messages_round_trip_with_their_version(message):
    assert decode(type(message), message.to_json()) == message
    assert json.loads(message.to_json())["version"] == 1


def test_messages_route_to_their_families():
    assert (TrainStyle.EXCHANGE, TrainStyle.ROUTING_KEY) == ("training", "training.requested")
    assert (GenerateImage.EXCHANGE, GenerateImage.ROUTING_KEY) == ("inference", "inference.requested")


def test_a_generation_without_a_signature_id_is_poison():
    data = GENERATE.to_dict()
    del data["signature_id"]

    with pytest.raises(MessageError):
        decode(GenerateImage, json.dumps(data).encode())


def test_aspect_ratios_name_their_sizes():
    assert ASPECT_RATIO_SIZES == {"1:1": (512, 512), "2:2": (1024, 1024), "1:2": (512, 1024)}


@pytest.mark.parametrize("queue", [llm_worker_training(), llm_worker_inference()], ids=lambda q: q.name)
def test_studio_queues_are_quorum_work_queues_with_a_ladder_and_dead_letters(queue):
    queues = dict(queue.queues())

    assert queues[queue.name]["x-queue-type"] == "quorum"
    assert queues[queue.name]["x-dead-letter-routing-key"] == f"{queue.name}.dead"
    assert f"{queue.name}.dead" in queues and f"{queue.name}.retry.5s" in queues
    assert queue.name in [q.name for q in work_queues()]


def test_studio_queues_bind_their_exchanges():
    assert (llm_worker_training().exchange, llm_worker_training().routing_keys) == ("training", ("training.requested",))
    assert (llm_worker_inference().exchange, llm_worker_inference().routing_keys) == (
        "inference",
        ("inference.requested",),
    )


def test_training_webhook_bodies():
    progress = TrainingProgress("s1", EpochProgress(3, 10, 30, 7))
    complete = TrainingCompleted("s1", "styles/s1/model-abc.json", TrainingMetric(0.0042, 10))
    failed = TrainingFailed("s1", "uploads/s1/0.png is not a readable image", "unreadable_image")

    assert (progress.METHOD, progress.PATH) == ("PATCH", "/api/webhooks/training/progress")
    assert progress.body() == {
        "style_id": "s1",
        "progress": {"current_epoch": 3, "total_epochs": 10, "progress_percent": 30, "estimated_seconds": 7},
    }
    assert (complete.METHOD, complete.PATH) == ("POST", "/api/webhooks/training/complete")
    assert complete.body() == {
        "style_id": "s1",
        "model_path": "styles/s1/model-abc.json",
        "training_metric": {"loss": 0.0042, "epochs": 10},
    }
    assert (failed.METHOD, failed.PATH) == ("POST", "/api/webhooks/training/failed")
    assert failed.body() == {
        "style_id": "s1",
        "error_message": "uploads/s1/0.png is not a readable image",
        "error_code": "unreadable_image",
    }


def test_inference_webhook_bodies():
    metadata = {"width": 512, "height": 1024, "seed": 42, "signature_id": 7, "engine": "embedded"}
    progress = InferenceProgress("g1", StepProgress(0, 1, 0, 30))
    complete = InferenceCompleted("g1", "generations/g1.png", metadata)
    failed = InferenceFailed("g1", "no style model under styles/x.json", "model_not_found")

    assert (progress.METHOD, progress.PATH) == ("PATCH", "/api/webhooks/inference/progress")
    assert progress.body() == {
        "generation_id": "g1",
        "progress": {"current_step": 0, "total_steps": 1, "progress_percent": 0, "estimated_seconds": 30},
    }
    assert (complete.METHOD, complete.PATH) == ("POST", "/api/webhooks/inference/complete")
    assert complete.body() == {"generation_id": "g1", "result_url": "generations/g1.png", "metadata": metadata}
    assert (failed.METHOD, failed.PATH) == ("POST", "/api/webhooks/inference/failed")
    assert failed.body() == {
        "generation_id": "g1",
        "error_message": "no style model under styles/x.json",
        "error_code": "model_not_found",
    }
