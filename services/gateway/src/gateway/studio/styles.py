"""Use cases of styles: publish one for training, list and read them, edit and delete your own."""

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from gateway.platform.db import UnitOfWork, fetch_rows
from gateway.platform.errors import NotFound
from gateway.studio import styles_store as styles_sql
from gateway.studio.media import preview_urls
from gateway.studio.models import Style
from gateway.studio.store import StudioStore
from gateway.studio.styles_store import StyleRow
from gateway.studio.uploads import ImageRules, Upload, check_images, close_images, store_images
from shared.messages.styles import TrainStyle
from shared.storage import ObjectStore

EDITABLE = ("name", "description", "tags", "price_per_generation", "visibility")


@dataclasses.dataclass(frozen=True)
class StyleDraft:
    name: str
    description: str
    tags: list[str]
    price_per_generation: int
    visibility: str


def parse_style_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise NotFound(f"'{str(raw)[:64]}' is not a style id (style ids are UUIDs)") from None


def create_style(
    uow: UnitOfWork,
    store: ObjectStore,
    artist_id: uuid.UUID,
    draft: StyleDraft,
    uploads: Sequence[Upload],
    rules: ImageRules,
    epochs: int,
) -> Style:
    """Check every image, store their clean copies, then record the style `queued` and its TrainStyle in one
    transaction."""
    images = check_images(uploads, rules)
    style_id, now = uuid.uuid4(), datetime.now(UTC)
    try:
        keys = store_images(store, style_id, images)
    finally:
        close_images(images)
    style = Style(
        id=style_id,
        artist_id=artist_id,
        **dataclasses.asdict(draft),
        status="queued",
        progress_percent=0,
        current_epoch=0,
        total_epochs=epochs,
        image_keys=keys,
        generation_count=0,
        created_at=now,
        updated_at=now,
    )
    command = TrainStyle(
        style_id=str(style_id), artist_id=str(artist_id), image_keys=keys, epochs=epochs, requested_at=now.isoformat()
    )
    with uow:
        studio = uow.store(StudioStore)
        studio.add_style(style)
        studio.add_message(command)
        uow.commit()
        style = studio.style_with_artist(style_id)
        return _shown_object(store, style)


def list_styles(
    uow: UnitOfWork,
    store: ObjectStore,
    page: int,
    size: int,
    sort: str,
    tag: str | None,
    artist_id: uuid.UUID | None,
) -> tuple[list[StyleRow], int]:
    """Trained public styles, newest or most generated first."""
    filters = ("listed", *(("tag",) if tag else ()), *(("artist_id",) if artist_id else ()))
    return _page(uow, store, filters, sort, page, size, {"tags": [tag], "artist_id": artist_id})


def my_styles(
    uow: UnitOfWork, store: ObjectStore, artist_id: uuid.UUID, page: int, size: int, status: str | None
) -> tuple[list[StyleRow], int]:
    """The artist's styles in every status, newest first."""
    filters = ("artist_id", "kept", *(("status",) if status else ()))
    return _page(uow, store, filters, "new", page, size, {"artist_id": artist_id, "status": status})


def _page(uow: UnitOfWork, store: ObjectStore, filters: tuple, sort: str, page: int, size: int, params: dict):
    params = {**params, "offset": (page - 1) * size}
    with uow.reading() as conn:
        rows = fetch_rows(conn, styles_sql.listing(filters, sort, size), params)
        total = fetch_rows(conn, styles_sql.counting(filters), params)[0][0]
    return [shown(store, styles_sql.to_row(row)) for row in rows], total


def shown(store: ObjectStore, style: StyleRow) -> StyleRow:
    """The row with its previews' URLs, as the viewer may fetch them."""
    return style._replace(preview_urls=preview_urls(store, style))


def _shown_object(store: ObjectStore, style: Style) -> Style:
    """The style object with its previews' URLs set."""
    style.preview_urls = preview_urls(store, style)  # not a column: what the response shows
    return style


def visible(style: Style | None, viewer_id: uuid.UUID | None) -> bool:
    """Its artist sees a style in any status; everyone else only once it is trained and public."""
    return style is not None and _visible(style.status, style.visibility, style.artist_id, style.deleted_at, viewer_id)


def _visible(status: str, visibility: str, artist_id: uuid.UUID, deleted_at, viewer_id: uuid.UUID | None) -> bool:
    if deleted_at is not None:
        return False
    return artist_id == viewer_id or (status == "completed" and visibility == "public")


def get_style(uow: UnitOfWork, store: ObjectStore, raw_id: str, viewer_id: uuid.UUID | None) -> StyleRow:
    """A style the viewer may see; anything else is a 404 that never says whether it exists."""
    style_id = parse_style_id(raw_id)
    with uow.reading() as conn:
        found = fetch_rows(conn, styles_sql.by_id(), {"id": style_id})
    style = styles_sql.to_row(found[0][:-1]) if found else None
    if style is None or not _visible(style.status, style.visibility, style.artist.id, found[0][-1], viewer_id):
        raise NotFound(f"no style with id {style_id}")
    return shown(store, style)


def _own_style(studio: StudioStore, artist_id: uuid.UUID, raw_id: str) -> Style:
    style_id = parse_style_id(raw_id)
    style = studio.locked_style_with_artist(style_id)
    if style is None or style.deleted_at is not None or style.artist_id != artist_id:
        raise NotFound(f"no style with id {style_id} among yours")
    return style


def update_style(uow: UnitOfWork, store: ObjectStore, artist_id: uuid.UUID, raw_id: str, changes: dict) -> Style:
    """Change the artist's own style's name, description, tags, price or visibility."""
    with uow:
        style = _own_style(uow.store(StudioStore), artist_id, raw_id)
        for name in EDITABLE:
            if name in changes:
                setattr(style, name, changes[name])
        style.updated_at = datetime.now(UTC)
        uow.commit()
        return _shown_object(store, style)


def delete_style(uow: UnitOfWork, artist_id: uuid.UUID, raw_id: str) -> None:
    """Hide the style for good; its generations keep their provenance (the signature still names it)."""
    with uow:
        style = _own_style(uow.store(StudioStore), artist_id, raw_id)
        style.deleted_at = style.updated_at = datetime.now(UTC)
        uow.commit()
