"""Use cases of styles: publish one for training, list and read them, edit and delete your own."""

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from gateway.db import UnitOfWork
from gateway.models import Style
from gateway.services.errors import NotFound
from gateway.services.outbox import add_message
from gateway.services.style_images import ImageRules, Upload, check_images, store_images
from gateway.services.styles_sql import LISTED
from shared.messages.styles import TrainStyle
from shared.storage import ObjectStore

WITH_ARTIST = joinedload(Style.artist, innerjoin=True)
SORTS = {
    "new": (Style.created_at.desc(), Style.id.desc()),
    "popular": (Style.generation_count.desc(), Style.created_at.desc(), Style.id.desc()),
}
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
    """Check every image, store them, then record the style `queued` and its TrainStyle in one transaction."""
    infos = check_images(uploads, rules)
    style_id, now = uuid.uuid4(), datetime.now(UTC)
    keys = store_images(store, style_id, uploads, infos)
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
    with uow as session:
        session.add(style)
        session.flush()
        add_message(session, command)
        uow.commit()
        return session.scalars(select(Style).options(WITH_ARTIST).where(Style.id == style_id)).one()


def list_styles(
    uow: UnitOfWork, page: int, size: int, sort: str, tag: str | None, artist_id: uuid.UUID | None
) -> tuple[list[Style], int]:
    """Trained public styles, newest or most generated first."""
    conditions = list(LISTED)
    if tag:
        conditions.append(Style.tags.contains([tag]))
    if artist_id:
        conditions.append(Style.artist_id == artist_id)
    query = select(Style).options(WITH_ARTIST).where(*conditions).order_by(*SORTS[sort])
    with uow as session:
        items = list(session.scalars(query.offset((page - 1) * size).limit(size)))
        return items, session.scalar(select(func.count()).select_from(Style).where(*conditions))


def my_styles(uow: UnitOfWork, artist_id: uuid.UUID, page: int, size: int, status: str | None) -> tuple[list, int]:
    """The artist's styles in every status, newest first."""
    conditions = [Style.artist_id == artist_id, Style.deleted_at.is_(None)]
    if status:
        conditions.append(Style.status == status)
    query = select(Style).options(WITH_ARTIST).where(*conditions).order_by(*SORTS["new"])
    with uow as session:
        items = list(session.scalars(query.offset((page - 1) * size).limit(size)))
        return items, session.scalar(select(func.count()).select_from(Style).where(*conditions))


def visible(style: Style | None, viewer_id: uuid.UUID | None) -> bool:
    """Its artist sees a style in any status; everyone else only once it is trained and public."""
    if style is None or style.deleted_at is not None:
        return False
    return style.artist_id == viewer_id or (style.status == "completed" and style.visibility == "public")


def get_style(uow: UnitOfWork, raw_id: str, viewer_id: uuid.UUID | None) -> Style:
    """A style the viewer may see; anything else is a 404 that never says whether it exists."""
    style_id = parse_style_id(raw_id)
    with uow as session:
        style = session.scalars(select(Style).options(WITH_ARTIST).where(Style.id == style_id)).first()
        if not visible(style, viewer_id):
            raise NotFound(f"no style with id {style_id}")
        return style


def _own_style(session, artist_id: uuid.UUID, raw_id: str) -> Style:
    style_id = parse_style_id(raw_id)
    query = select(Style).options(WITH_ARTIST).where(Style.id == style_id).with_for_update(of=Style)
    style = session.scalars(query).first()
    if style is None or style.deleted_at is not None or style.artist_id != artist_id:
        raise NotFound(f"no style with id {style_id} among yours")
    return style


def update_style(uow: UnitOfWork, artist_id: uuid.UUID, raw_id: str, changes: dict) -> Style:
    """Change the artist's own style's name, description, tags, price or visibility."""
    with uow as session:
        style = _own_style(session, artist_id, raw_id)
        for name in EDITABLE:
            if name in changes:
                setattr(style, name, changes[name])
        style.updated_at = datetime.now(UTC)
        uow.commit()
        return style


def delete_style(uow: UnitOfWork, artist_id: uuid.UUID, raw_id: str) -> None:
    """Hide the style for good; its generations keep their provenance (the signature still names it)."""
    with uow as session:
        style = _own_style(session, artist_id, raw_id)
        style.deleted_at = style.updated_at = datetime.now(UTC)
        uow.commit()
