"""Applying the AI servers' signed reports about trainings and generations: each webhook once, statuses forward only.

A style or a generation moves queued -> processing -> completed | failed. A
repeated `complete` or `failed` (a redelivered message posts it again under a
new webhook id) and a `progress` after the end are answered `stale` and change
nothing, so tokens are refunded once and the artist is paid once; the ledger's
keys (generation id per entry type) guarantee it a second time.
"""

import functools
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from gateway.platform.db import UnitOfWork
from gateway.platform.errors import InvalidInput, NotFound
from gateway.platform.receipts import apply_once
from gateway.studio.models import Generation, Style
from gateway.studio.rules import APPLIED, STALE, artist_share, can_finish, progress_applies, style_shown
from gateway.studio.store import StudioStore
from gateway.wallet import service as wallet
from shared.storage import check_key


def record_training_report(uow: UnitOfWork, webhook_id: str, kind: str, body: dict) -> dict[str, Any]:
    """Apply one training report (`progress`, `complete` or `failed`) about one style."""
    style_id = _uuid(body["style_id"], "style")

    def apply(now: datetime) -> tuple[str, str]:
        style = uow.store(StudioStore).locked_style(style_id)
        if style is None:
            raise NotFound(f"no style with id {style_id}")
        return TRAINING[kind](uow, style, body, now), style.status

    return _record_once(uow, webhook_id, "training", apply)


def record_inference_report(
    uow: UnitOfWork, webhook_id: str, kind: str, body: dict, share_percent: int
) -> dict[str, Any]:
    """Apply one inference report about one generation; `share_percent` of the style's price goes to its artist."""
    generation_id = _uuid(body["generation_id"], "generation")

    def apply(now: datetime) -> tuple[str, str]:
        generation = uow.store(StudioStore).locked_generation(generation_id)
        if generation is None:
            raise NotFound(f"no generation with id {generation_id}")
        return handlers[kind](uow, generation, body, now), generation.status

    handlers = {**INFERENCE, "complete": functools.partial(_generation_completed, share_percent=share_percent)}

    return _record_once(uow, webhook_id, "inference", apply)


def _record_once(uow: UnitOfWork, webhook_id: str, source: str, apply: Callable) -> dict[str, Any]:
    """Claim the webhook id, apply, keep the answer; a replayed id gets the first answer back."""

    def answer(_session, now: datetime) -> dict:
        result, status = apply(now)
        return {"result": result, "status": status}

    return apply_once(uow, webhook_id, source, answer)


def _uuid(raw: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFound(f"no {what} with id '{raw[:64]}'") from None


def _key(raw: str, field: str) -> str:
    try:
        return check_key(raw)
    except ValueError:
        raise InvalidInput(f"'{raw[:100]}' is not an object key of the store.", field) from None


def _progress(work, percent: int, now: datetime) -> bool:
    if not progress_applies(work.status, work.progress_percent, percent):
        return False
    work.status, work.progress_percent, work.updated_at = "processing", percent, now
    work.started_at = work.started_at or now
    return True


def _training_progress(uow: UnitOfWork, style: Style, body: dict, now: datetime) -> str:
    progress = body["progress"]
    if not _progress(style, progress["progress_percent"], now):
        return STALE
    style.current_epoch, style.total_epochs = progress["current_epoch"], progress["total_epochs"]
    style.estimated_seconds = progress["estimated_seconds"]
    return APPLIED


def _training_completed(uow: UnitOfWork, style: Style, body: dict, now: datetime) -> str:
    if not can_finish(style.status):
        return STALE
    style.model_key = _key(body["model_path"], "model_path")
    style.training_metric = body["training_metric"]
    style.status, style.progress_percent, style.estimated_seconds = "completed", 100, 0
    style.current_epoch = body["training_metric"].get("epochs", style.current_epoch)
    style.started_at, style.completed_at, style.updated_at = style.started_at or now, now, now
    facts = {"style_name": style.name, "loss": body["training_metric"].get("loss")}
    uow.store(StudioStore).tell(style.artist_id, "training.completed", facts, str(style.id))
    return APPLIED


def _training_failed(uow: UnitOfWork, style: Style, body: dict, now: datetime) -> str:
    if not can_finish(style.status):
        return STALE
    style.status, style.error, style.error_code = "failed", body["error_message"], body["error_code"]
    style.failed_at = style.updated_at = now
    facts = {"style_name": style.name, "reason": body["error_message"][:300], "code": body["error_code"]}
    uow.store(StudioStore).tell(style.artist_id, "training.failed", facts, str(style.id))
    return APPLIED


def _generation_progress(uow: UnitOfWork, generation: Generation, body: dict, now: datetime) -> str:
    progress = body["progress"]
    if not _progress(generation, progress["progress_percent"], now):
        return STALE
    generation.current_step, generation.total_steps = progress["current_step"], progress["total_steps"]
    generation.estimated_seconds = progress["estimated_seconds"]
    return APPLIED


def _generation_completed(
    uow: UnitOfWork, generation: Generation, body: dict, now: datetime, *, share_percent: int
) -> str:
    if not can_finish(generation.status):
        return STALE
    generation.result_key = _key(body["result_url"], "result_url")
    generation.result_metadata = body["metadata"]
    generation.status, generation.progress_percent, generation.estimated_seconds = "completed", 100, 0
    generation.started_at, generation.completed_at = generation.started_at or now, now
    generation.updated_at = now
    studio = uow.store(StudioStore)
    style_name, visibility = studio.count_generation(generation.style_id)
    share = artist_share(generation.style_price, share_percent)
    if share:
        description = f"Your share of an image in '{style_name}'"[:200]
        wallet.credit(wallet.ledger(uow), generation.artist_id, share, str(generation.id), "earn", description)
    shown = style_shown(visibility, generation.artist_id, generation.user_id)  # it may have gone private since
    facts = {"style_name": style_name, "style_id": str(generation.style_id)} if shown else {}
    studio.tell(generation.user_id, "generation.completed", facts, str(generation.id))
    return APPLIED


def _generation_failed(uow: UnitOfWork, generation: Generation, body: dict, now: datetime) -> str:
    if not can_finish(generation.status):
        return STALE
    generation.status, generation.error = "failed", body["error_message"]
    generation.error_code = body["error_code"]
    generation.failed_at = generation.updated_at = now
    refund = wallet.refund(
        wallet.ledger(uow), generation.user_id, str(generation.id), "Refund: the image could not be made"
    )
    refunded = generation.cost if refund.applied else 0
    facts = {"reason": body["error_message"][:300], "code": body["error_code"], "refunded": refunded}
    uow.store(StudioStore).tell(generation.user_id, "generation.failed", facts, str(generation.id))
    return APPLIED


TRAINING = {"progress": _training_progress, "complete": _training_completed, "failed": _training_failed}
INFERENCE = {"progress": _generation_progress, "failed": _generation_failed}  # "complete" needs the share
