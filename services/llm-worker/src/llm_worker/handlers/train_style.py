"""Handles TrainStyle: learn the style, store the model once, report each epoch; ack once `complete` is accepted.

The model is stored under `styles/<style_id>/model-<digest>.json`, the digest
naming the request's images and epochs. A redelivery that finds it there does
not train again: it re-reports it.
"""

import hashlib
import json
import logging
import math
import re
import time

from llm_worker.studio.images import ImageTooLarge, UnreadableImage, training_pixels
from llm_worker.studio.model import InvalidModel, StyleModel
from llm_worker.studio.reports import StudioReporter, salvage_id
from llm_worker.studio.training import EpochDone, train
from shared.amqp.outcomes import Ack, DeadLetter, Delivery, Outcome, Retry
from shared.messages.base import MessageError, decode
from shared.messages.styles import (
    EpochProgress,
    TrainingCompleted,
    TrainingFailed,
    TrainingMetric,
    TrainingProgress,
    TrainStyle,
)
from shared.storage import ObjectNotFound, ObjectStore, StorageError, check_key

log = logging.getLogger(__name__)
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")


def model_key(command: TrainStyle) -> str:
    """Where this request's model goes: the same key for a redelivery, a new one for a new training."""
    digest = hashlib.sha256(json.dumps([command.image_keys, command.epochs]).encode()).hexdigest()[:16]
    return f"styles/{command.style_id}/model-{digest}.json"


def check(command: TrainStyle, max_images: int, max_epochs: int) -> str | None:
    """Why this message cannot be trained on, or None."""
    if not isinstance(command.style_id, str) or not ID.match(command.style_id):
        return f"style_id {command.style_id!r} is not an id"
    keys = command.image_keys
    if not isinstance(keys, list) or not 1 <= len(keys) <= max_images:
        return f"image_keys must list 1 to {max_images} images"
    try:
        for key in keys:
            check_key(key)
    except ValueError as exc:
        return str(exc)
    epochs = command.epochs
    if isinstance(epochs, bool) or not isinstance(epochs, int) or not 1 <= epochs <= max_epochs:
        return f"epochs must be an integer from 1 to {max_epochs}"
    return None


class TrainStyleHandler:
    """One TrainStyle delivery, from decoding to the gateway's acceptance of the model."""

    def __init__(
        self,
        store: ObjectStore,
        reporter: StudioReporter,
        delivery_limit: int = 5,
        max_images: int = 100,
        max_epochs: int = 200,
        max_image_pixels: int = 40_000_000,
        palette_size: int = 8,
        progress_interval: float = 0.25,
    ):
        self._store = store
        self._reporter = reporter
        self._delivery_limit = delivery_limit
        self._max_images = max_images
        self._max_epochs = max_epochs
        self._max_pixels = max_image_pixels
        self._palette_size = palette_size
        self._progress_interval = progress_interval

    def __call__(self, delivery: Delivery) -> Outcome:
        try:
            command = decode(TrainStyle, delivery.body)
        except MessageError as exc:
            return self._poison(salvage_id(delivery.body, "style_id"), f"poison message: {exc}")
        problem = check(command, self._max_images, self._max_epochs)
        if problem:
            return self._poison(salvage_id(delivery.body, "style_id"), f"poison message: {problem}")
        key = model_key(command)
        try:
            model = StyleModel.from_json(self._store.get(key))
            log.info("style %s already trained; re-reporting it without training", command.style_id)
        except (ObjectNotFound, InvalidModel):
            if delivery.delivery_count >= self._delivery_limit - 1:
                reason = f"the worker stopped {delivery.delivery_count} times while training this style"
                return self._fail(command, reason, "worker_crashed", DeadLetter(reason))
            model = self._train(command, delivery, key)
        except StorageError as exc:
            return self._transient(command, delivery, str(exc))
        if not isinstance(model, StyleModel):
            return model
        report = TrainingCompleted(command.style_id, key, TrainingMetric(model.loss, model.epochs))
        return self._reporter.final(report, Ack())

    def _train(self, command: TrainStyle, delivery: Delivery, key: str) -> "StyleModel | Outcome":
        images = []
        for image_key in command.image_keys:
            try:
                images.append(training_pixels(self._store.get(image_key), self._max_pixels))
            except ObjectNotFound:
                return self._fail(command, f"no image under {image_key}", "image_not_found", Ack())
            except UnreadableImage as exc:
                return self._fail(command, f"{image_key} is not a readable image: {exc}", "unreadable_image", Ack())
            except ImageTooLarge as exc:
                return self._fail(command, f"{image_key}: {exc}", "image_too_large", Ack())
            except StorageError as exc:
                return self._transient(command, delivery, str(exc))
        seed = int.from_bytes(hashlib.sha256(command.style_id.encode()).digest()[:8], "big")
        progress = _Progress(self._reporter, command.style_id, self._progress_interval)
        try:
            model = train(images, command.epochs, seed, self._palette_size, on_epoch=progress)
        except Exception as exc:  # a training bug must still end in a report, not in silence
            log.exception("style %s: training crashed", command.style_id)
            return self._transient(command, delivery, f"training_error: {exc!r}", "training_error")
        try:
            self._store.put(key, model.to_json(), "application/json")
        except StorageError as exc:
            return self._transient(command, delivery, str(exc))
        log.info("style %s trained on %d images: loss %.5f", command.style_id, len(images), model.loss)
        return model

    def _fail(self, command: TrainStyle, reason: str, code: str, outcome: Outcome) -> Outcome:
        return self._reporter.final(TrainingFailed(command.style_id, reason, code), outcome)

    def _transient(self, command: TrainStyle, delivery: Delivery, reason: str, code: str = "storage_error") -> Outcome:
        if not delivery.is_last_attempt:
            return Retry(reason)
        reason = f"gave up after {delivery.attempt} attempts: {reason}"
        return self._fail(command, reason, code, DeadLetter(reason))

    def _poison(self, style_id: str | None, reason: str) -> Outcome:
        if style_id is None:
            return DeadLetter(reason)
        return self._reporter.final(TrainingFailed(style_id, reason, "invalid_request"), DeadLetter(reason))


class _Progress:
    """Reports epochs, at most one per interval (the first and the last always)."""

    def __init__(self, reporter: StudioReporter, style_id: str, interval: float):
        self._reporter = reporter
        self._style_id = style_id
        self._interval = interval
        self._last = float("-inf")

    def __call__(self, done: EpochDone) -> None:
        now = time.monotonic()
        if done.epoch not in (1, done.total) and now - self._last < self._interval:
            return
        self._last = now
        percent = done.epoch * 100 // done.total
        seconds = math.ceil(done.seconds_left)
        progress = EpochProgress(done.epoch, done.total, percent, seconds)
        self._reporter.progress(TrainingProgress(self._style_id, progress))
