"""Handles GenerateImage: render in the style, sign, store once, report; ack once the gateway holds the result.

The image is stored under `generations/<generation_id>.png`. A redelivery that
finds it there does not render (or pay for) it again: it re-reports it.
"""

import json
import logging
import re

from PIL import Image

from llm_worker.providers.base import ProviderError
from llm_worker.studio.engines import ImageEngine, RenderRequest
from llm_worker.studio.images import encode_png, png_text
from llm_worker.studio.model import InvalidModel
from llm_worker.studio.model_cache import ModelCache
from llm_worker.studio.reports import StudioReporter, salvage_id
from shared import signature
from shared.amqp.outcomes import Ack, DeadLetter, Delivery, Outcome, Retry
from shared.messages.base import MessageError, decode
from shared.messages.styles import (
    ASPECT_RATIO_SIZES,
    MAX_SIGNATURE_ID,
    GenerateImage,
    InferenceCompleted,
    InferenceFailed,
    InferenceProgress,
    StepProgress,
)
from shared.storage import ObjectNotFound, ObjectStore, StorageError, check_key

log = logging.getLogger(__name__)
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")
METADATA_CHUNK = "studio:metadata"
MAX_TAGS = 32
MAX_TAG_LENGTH = 64
SLOW_ENGINE_SECONDS = 2.0  # engines slower than this report progress before they start


def result_key(generation_id: str) -> str:
    return f"generations/{generation_id}.png"


def check(command: GenerateImage) -> str | None:
    """Why this message cannot be rendered, or None."""
    if not isinstance(command.generation_id, str) or not ID.match(command.generation_id):
        return f"generation_id {command.generation_id!r} is not an id"
    if command.aspect_ratio not in ASPECT_RATIO_SIZES:
        return f"aspect_ratio must be one of {sorted(ASPECT_RATIO_SIZES)}, not {command.aspect_ratio!r}"
    tags = command.prompt_tags
    if not isinstance(tags, list) or len(tags) > MAX_TAGS:
        return f"prompt_tags must be a list of at most {MAX_TAGS} tags"
    if not all(isinstance(tag, str) and len(tag) <= MAX_TAG_LENGTH for tag in tags):
        return f"every prompt tag must be a string of at most {MAX_TAG_LENGTH} characters"
    for name in ("seed", "signature_id"):
        value = getattr(command, name)
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{name} must be an integer"
    if not 0 <= command.signature_id <= MAX_SIGNATURE_ID:
        return "signature_id must be an unsigned 64-bit integer"
    try:
        check_key(command.model_key)
    except ValueError as exc:
        return str(exc)
    return None


class GenerateImageHandler:
    """One GenerateImage delivery, from decoding to the gateway's acceptance of the result."""

    def __init__(
        self,
        store: ObjectStore,
        models: ModelCache,
        engine: ImageEngine,
        reporter: StudioReporter,
        delivery_limit: int = 5,
        signature_key: bytes = signature.DEFAULT_KEY,
    ):
        self._store = store
        self._models = models
        self._engine = engine
        self._reporter = reporter
        self._delivery_limit = delivery_limit
        self._signature_key = signature_key

    def __call__(self, delivery: Delivery) -> Outcome:
        try:
            command = decode(GenerateImage, delivery.body)
        except MessageError as exc:
            return self._poison(salvage_id(delivery.body, "generation_id"), f"poison message: {exc}")
        problem = check(command)
        if problem:
            return self._poison(salvage_id(delivery.body, "generation_id"), f"poison message: {problem}")
        key = result_key(command.generation_id)
        try:
            metadata = _stored_metadata(self._store.get(key), command)
            log.info("generation %s already stored; re-reporting it without rendering", command.generation_id)
        except ObjectNotFound:
            if delivery.delivery_count >= self._delivery_limit - 1:
                reason = f"the worker stopped {delivery.delivery_count} times while rendering this image"
                return self._fail(command, reason, "worker_crashed", DeadLetter(reason))
            metadata = self._render(command, delivery, key)
        except StorageError as exc:
            return self._transient(command, delivery, str(exc), "storage_error")
        if not isinstance(metadata, dict):
            return metadata
        return self._reporter.final(InferenceCompleted(command.generation_id, key, metadata), Ack())

    def _render(self, command: GenerateImage, delivery: Delivery, key: str) -> "dict | Outcome":
        """Render, sign and store the image; its metadata, or the outcome when that failed."""
        try:
            model = self._models.load(command.model_key)
        except ObjectNotFound:
            reason = f"no style model under {command.model_key}"
            return self._fail(command, reason, "model_not_found", DeadLetter(reason))
        except InvalidModel as exc:
            return self._fail(command, str(exc), "invalid_model", DeadLetter(str(exc)))
        except StorageError as exc:
            return self._transient(command, delivery, str(exc), "storage_error")
        width, height = ASPECT_RATIO_SIZES[command.aspect_ratio]
        if self._engine.expected_seconds >= SLOW_ENGINE_SECONDS:
            estimate = round(self._engine.expected_seconds)
            self._reporter.progress(InferenceProgress(command.generation_id, StepProgress(0, 1, 0, estimate)))
        request = RenderRequest(tuple(command.prompt_tags), command.seed, width, height)
        try:
            image = self._engine.render(model, request)
        except ProviderError as exc:
            if exc.retryable:
                return self._transient(command, delivery, f"{exc.code}: {exc}", exc.code)
            return self._fail(command, f"{exc.code}: {exc}", exc.code, DeadLetter(str(exc)))
        except Exception as exc:  # an engine bug must still end in a report, not in silence
            log.exception("generation %s: the %s engine crashed", command.generation_id, self._engine.name)
            return self._transient(command, delivery, f"engine_error: {exc!r}", "engine_error")
        data, metadata = self._sign(image, command)
        try:
            self._store.put(key, data, "image/png")
        except StorageError as exc:
            return self._transient(command, delivery, str(exc), "storage_error")
        return metadata

    def _sign(self, image: Image.Image, command: GenerateImage) -> tuple[bytes, dict]:
        signed = signature.embed(image, command.signature_id, self._signature_key)
        verified = signature.extract(signed, self._signature_key) == command.signature_id
        if not verified:
            log.error("generation %s: the signature did not read back from the image", command.generation_id)
        metadata = {
            "width": signed.width,
            "height": signed.height,
            "seed": command.seed,
            "signature_id": command.signature_id,
            "signature_verified": verified,
            "engine": self._engine.name,
            "content_type": "image/png",
        }
        return encode_png(signed, {METADATA_CHUNK: json.dumps(metadata)}), metadata

    def _fail(self, command: GenerateImage, reason: str, code: str, outcome: Outcome) -> Outcome:
        return self._reporter.final(InferenceFailed(command.generation_id, reason, code), outcome)

    def _transient(self, command: GenerateImage, delivery: Delivery, reason: str, code: str) -> Outcome:
        if not delivery.is_last_attempt:
            return Retry(reason)
        reason = f"gave up after {delivery.attempt} attempts: {reason}"
        return self._fail(command, reason, code, DeadLetter(reason))

    def _poison(self, generation_id: str | None, reason: str) -> Outcome:
        if generation_id is None:
            return DeadLetter(reason)
        return self._reporter.final(InferenceFailed(generation_id, reason, "invalid_request"), DeadLetter(reason))


def _stored_metadata(data: bytes, command: GenerateImage) -> dict:
    """What the stored image's own metadata chunk says about it (the command fills any gap)."""
    try:
        metadata = json.loads(png_text(data).get(METADATA_CHUNK, "{}"))
    except ValueError:
        metadata = {}
    width, height = ASPECT_RATIO_SIZES[command.aspect_ratio]
    known = {"width": width, "height": height, "seed": command.seed, "signature_id": command.signature_id}
    return {**known, "engine": "unknown", **(metadata if isinstance(metadata, dict) else {})}
