"""Use cases of generations: pay for one and queue it, read one, list yours, the public feed.

Each generation read says whether the viewer liked it (`liked_by_me`, null for
anonymous callers), in the same statement as the page. Reads go through
generations_sql's prepared statements, not the ORM.
"""

import secrets
import uuid
from datetime import UTC, datetime

from gateway.platform.db import UnitOfWork, fetch_rows
from gateway.platform.errors import InvalidInput, NotFound
from gateway.studio import generations_store as sql
from gateway.studio.generations_store import GenerationRow
from gateway.studio.media import image_url
from gateway.studio.models import Generation, Style
from gateway.studio.rules import MAX_SEED, generation_cost
from gateway.studio.store import StudioStore
from gateway.wallet import service as wallet
from shared.messages.styles import GenerateImage
from shared.storage import ObjectStore

MAX_SIGNATURE_ID = 2**63 - 1  # stored as a signed BIGINT; the worker takes any unsigned 64-bit id


def new_signature_id() -> int:
    """A random id in 1 .. 2**63-1: unguessable, and unique by the column's constraint."""
    return secrets.randbelow(MAX_SIGNATURE_ID) + 1


def usable(style: Style | None, user_id: uuid.UUID) -> bool:
    """A public style, or your own private one (trained or not: an untrained one is a 422, not a 404)."""
    if style is None or style.deleted_at is not None:
        return False
    return style.visibility == "public" or style.artist_id == user_id


def parse_generation_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise NotFound(f"'{str(raw)[:64]}' is not a generation id (generation ids are UUIDs)") from None


def create_generation(
    uow: UnitOfWork,
    user_id: uuid.UUID,
    style_id: uuid.UUID,
    prompt_tags: list[str],
    aspect_ratio: str,
    seed: int | None,
    public: bool,
) -> Generation:
    """Spend the tokens, record the generation `queued` and its GenerateImage: all in one transaction, or none."""
    now, generation_id = datetime.now(UTC), uuid.uuid4()
    with uow:
        studio = uow.store(StudioStore)
        style = studio.style(style_id)
        if not usable(style, user_id):
            raise NotFound(f"no style with id {style_id}")
        if style.status != "completed":
            raise InvalidInput(f"The style is not trained yet (its training is {style.status}).", "style_id")
        cost = generation_cost(aspect_ratio, style.price_per_generation)
        wallet.spend(wallet.ledger(uow), user_id, cost, str(generation_id), f"An image in '{style.name}'"[:200])
        generation = Generation(
            id=generation_id,
            user_id=user_id,
            style_id=style.id,
            artist_id=style.artist_id,
            prompt_tags=prompt_tags,
            aspect_ratio=aspect_ratio,
            seed=secrets.randbelow(MAX_SEED + 1) if seed is None else seed,
            cost=cost,
            style_price=style.price_per_generation,
            status="queued",
            progress_percent=0,
            current_step=0,
            signature_id=new_signature_id(),
            is_public=public,
            created_at=now,
            updated_at=now,
        )
        studio.add_generation(generation)
        studio.add_message(_command(generation, style, now))
        uow.commit()
        generation = studio.loaded_generation(generation_id)
        generation.liked_by_me = False
        return generation


def _command(generation: Generation, style: Style, now: datetime) -> GenerateImage:
    return GenerateImage(
        generation_id=str(generation.id),
        style_id=str(style.id),
        artist_id=str(style.artist_id),
        model_key=style.model_key,
        prompt_tags=list(generation.prompt_tags),
        aspect_ratio=generation.aspect_ratio,
        seed=generation.seed,
        signature_id=generation.signature_id,
        requested_at=now.isoformat(),
    )


def get_generation(uow: UnitOfWork, store: ObjectStore, raw_id: str, viewer_id: uuid.UUID | None) -> GenerationRow:
    """Its owner sees a generation in any status; others once it is completed and public. Otherwise 404."""
    generation_id = parse_generation_id(raw_id)
    params = {"id": generation_id, "viewer_id": viewer_id}
    with uow.reading() as conn:
        found = fetch_rows(conn, sql.listing(("id",), viewer_id is not None), params)
    generation = sql.to_row(found[0]) if found else None
    mine = generation is not None and generation.user.id == viewer_id
    shown = generation is not None and generation.is_public and generation.status == "completed"
    if not (mine or shown):
        raise NotFound(f"no generation with id {generation_id}")
    return _shown(store, generation)


def my_generations(
    uow: UnitOfWork, store: ObjectStore, user_id: uuid.UUID, page: int, size: int, status: str | None
) -> tuple[list[GenerationRow], int]:
    """The user's generations, newest first, and how many there are."""
    filters = ("user_id", "status") if status else ("user_id",)
    params = {"user_id": user_id, "viewer_id": user_id, "status": status, "offset": (page - 1) * size}
    with uow.reading() as conn:
        rows = fetch_rows(conn, sql.listing(filters, True, "created", size, numbered=True), params)
        total = fetch_rows(conn, sql.counting(filters), params)[0][0]
    return [_shown(store, sql.to_row(row)) for row in rows], total


def feed(
    uow: UnitOfWork,
    store: ObjectStore,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
    style_id: uuid.UUID | None,
    viewer_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
) -> list[GenerationRow]:
    """Public completed generations, newest first; `after` is the (completed_at, id) the last page ended on."""
    values = {"after": after, "style_id": style_id, "user_id": user_id}
    filters = tuple(name for name, value in values.items() if value is not None)
    params = {"style_id": style_id, "user_id": user_id, "viewer_id": viewer_id}
    if after is not None:
        params["after_at"], params["after_id"] = after
    with uow.reading() as conn:
        rows = fetch_rows(conn, sql.listing(filters, viewer_id is not None, "feed", limit, feed=True), params)
    return [_shown(store, sql.to_row(row)) for row in rows]


def _shown(store: ObjectStore, generation: GenerationRow) -> GenerationRow:
    """The row with its image's URL, as the viewer may fetch it."""
    return generation._replace(image_url=image_url(store, generation))
