"""Contracts of the style studio: training and inference commands, and the webhooks AI servers post back.

The gateway publishes TrainStyle on `training` and GenerateImage on `inference`
(through its outbox). Any AI server (the llm-worker's embedded engines, or a GPU
server in another language) consumes them and reports with signed Standard
Webhooks: training reports signed with TRAINING_WEBHOOK_SECRET, inference
reports with INFERENCE_WEBHOOK_SECRET; the gateway accepts each secret only on
its own family's paths. Object keys (`image_keys`, `model_key`, `model_path`,
`result_url`) are keys in the platform's object store (shared.storage), which
the gateway turns into URLs: presigned for S3, `/media/<key>` for local disk.

Webhook bodies (exactly these fields, the report classes below):

    PATCH /api/webhooks/training/progress
        {style_id, progress: {current_epoch, total_epochs, progress_percent, estimated_seconds}}
    POST  /api/webhooks/training/complete
        {style_id, model_path, training_metric: {loss, epochs}}
    POST  /api/webhooks/training/failed
        {style_id, error_message, error_code}
    PATCH /api/webhooks/inference/progress
        {generation_id, progress: {current_step, total_steps, progress_percent, estimated_seconds}}
    POST  /api/webhooks/inference/complete
        {generation_id, result_url, metadata: {width, height, seed, signature_id, engine, ...}}
    POST  /api/webhooks/inference/failed
        {generation_id, error_message, error_code}

Progress may repeat or arrive late (a redelivery starts over); `complete` and
`failed` may be re-posted with the same body when a message is redelivered.
"""

import dataclasses
from typing import Any, ClassVar

from shared.messages.base import Message

# aspect ratio -> (width, height) of the generated image
ASPECT_RATIO_SIZES = {"1:1": (512, 512), "2:2": (1024, 1024), "1:2": (512, 1024)}
MAX_SIGNATURE_ID = 2**64 - 1
TRAINING_ERROR_CODES = (
    "invalid_request",  # the message's fields are unusable (it also goes to llm-worker.training.dead)
    "image_not_found",  # an image key is not in the store
    "unreadable_image",  # an image is not a PNG, JPEG or WebP PIL can decode
    "image_too_large",
    "storage_error",  # the store stayed unreachable through every retry
    "worker_crashed",  # the worker died on this message again and again
    "training_error",  # the engine itself failed through every retry
)
INFERENCE_ERROR_CODES = (
    "invalid_request",
    "model_not_found",  # model_key is not in the store
    "invalid_model",  # the stored artifact is not a style model
    "storage_error",
    "worker_crashed",
    "engine_error",  # the engine itself failed through every retry
    # and the image engine's own codes, e.g. openai: auth_failed, bad_request, rate_limited, timeout, provider_5xx
)


@dataclasses.dataclass(frozen=True, kw_only=True)
class TrainStyle(Message):
    """Learn a style from the artist's images; the model goes to the object store."""

    TYPE: ClassVar[str] = "TrainStyle"
    EXCHANGE: ClassVar[str] = "training"
    ROUTING_KEY: ClassVar[str] = "training.requested"

    style_id: str
    artist_id: str
    image_keys: list[str]  # object keys of the 10-100 training images (PNG, JPEG or WebP)
    epochs: int
    requested_at: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class GenerateImage(Message):
    """Render one image in a trained style, sign it invisibly, store it."""

    TYPE: ClassVar[str] = "GenerateImage"
    EXCHANGE: ClassVar[str] = "inference"
    ROUTING_KEY: ClassVar[str] = "inference.requested"

    generation_id: str
    style_id: str
    artist_id: str
    model_key: str  # the `model_path` the training reported
    prompt_tags: list[str]
    aspect_ratio: str  # a key of ASPECT_RATIO_SIZES
    seed: int
    signature_id: int  # 0 .. 2**64-1, issued by the gateway for (artist, style, generation)
    requested_at: str


@dataclasses.dataclass(frozen=True)
class WebhookReport:
    """A report an AI server posts to the gateway: the method, the path and the JSON body (its fields)."""

    METHOD: ClassVar[str] = "POST"
    PATH: ClassVar[str]

    def body(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class EpochProgress:
    current_epoch: int
    total_epochs: int
    progress_percent: int
    estimated_seconds: int


@dataclasses.dataclass(frozen=True)
class TrainingProgress(WebhookReport):
    METHOD: ClassVar[str] = "PATCH"
    PATH: ClassVar[str] = "/api/webhooks/training/progress"

    style_id: str
    progress: EpochProgress


@dataclasses.dataclass(frozen=True)
class TrainingMetric:
    loss: float
    epochs: int


@dataclasses.dataclass(frozen=True)
class TrainingCompleted(WebhookReport):
    PATH: ClassVar[str] = "/api/webhooks/training/complete"

    style_id: str
    model_path: str
    training_metric: TrainingMetric


@dataclasses.dataclass(frozen=True)
class TrainingFailed(WebhookReport):
    PATH: ClassVar[str] = "/api/webhooks/training/failed"

    style_id: str
    error_message: str
    error_code: str


@dataclasses.dataclass(frozen=True)
class StepProgress:
    current_step: int
    total_steps: int
    progress_percent: int
    estimated_seconds: int


@dataclasses.dataclass(frozen=True)
class InferenceProgress(WebhookReport):
    METHOD: ClassVar[str] = "PATCH"
    PATH: ClassVar[str] = "/api/webhooks/inference/progress"

    generation_id: str
    progress: StepProgress


@dataclasses.dataclass(frozen=True)
class InferenceCompleted(WebhookReport):
    PATH: ClassVar[str] = "/api/webhooks/inference/complete"

    generation_id: str
    result_url: str  # the image's object key, e.g. generations/<generation_id>.png
    metadata: dict[str, Any]  # width, height, seed, signature_id, engine, content_type, signature_verified


@dataclasses.dataclass(frozen=True)
class InferenceFailed(WebhookReport):
    PATH: ClassVar[str] = "/api/webhooks/inference/failed"

    generation_id: str
    error_message: str
    error_code: str
