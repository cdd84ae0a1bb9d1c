"""Use cases of generations: pay for one and queue it, read one, list yours, the public feed.

Each generation read says whether the viewer liked it (`liked_by_me`, null for
anonymous callers), found for a whole page in one query.
"""

import secrets
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, literal_column, select, tuple_
from sqlalchemy.orm import joinedload

from gateway.db import UnitOfWork
from gateway.domain.studio import MAX_SEED, generation_cost
from gateway.models import Generation, GenerationLike, Style, User
from gateway.services import wallet
from gateway.services.errors import InvalidInput, NotFound
from gateway.services.outbox import add_message
from shared.messages.styles import GenerateImage

LOADED = (
    joinedload(Generation.style, innerjoin=True),
    joinedload(Generation.artist, innerjoin=True),
    joinedload(Generation.user, innerjoin=True),
)
# Lists show each image's style and people by reference only (id and name): a style's training image keys
# and metrics, or an account's password hash and roles, are never read for a page.
LISTED_LOADED = (
    joinedload(Generation.style, innerjoin=True).load_only(Style.id, Style.name),
    joinedload(Generation.artist, innerjoin=True).load_only(User.id, User.username),
    joinedload(Generation.user, innerjoin=True).load_only(User.id, User.username),
)
# literal values, as the partial indexes' predicates: a prepared statement's generic plan can still use them
IN_FEED = (Generation.status == literal_column("'completed'"), Generation.is_public)
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
    with uow as session:
        style = session.get(Style, style_id)
        if not usable(style, user_id):
            raise NotFound(f"no style with id {style_id}")
        if style.status != "completed":
            raise InvalidInput(f"The style is not trained yet (its training is {style.status}).", "style_id")
        cost = generation_cost(aspect_ratio, style.price_per_generation)
        wallet.spend(session, user_id, cost, str(generation_id), f"An image in '{style.name}'"[:200])
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
        session.add(generation)
        session.flush()
        add_message(session, _command(generation, style, now))
        uow.commit()
        generation = session.scalars(select(Generation).options(*LOADED).where(Generation.id == generation_id)).one()
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


def get_generation(uow: UnitOfWork, raw_id: str, viewer_id: uuid.UUID | None) -> Generation:
    """Its owner sees a generation in any status; others once it is completed and public. Otherwise 404."""
    generation_id = parse_generation_id(raw_id)
    with uow as session:
        generation = session.scalars(select(Generation).options(*LOADED).where(Generation.id == generation_id)).first()
        mine = generation is not None and generation.user_id == viewer_id
        shown = generation is not None and generation.is_public and generation.status == "completed"
        if not (mine or shown):
            raise NotFound(f"no generation with id {generation_id}")
        return mark_liked(session, [generation], viewer_id)[0]


def my_generations(
    uow: UnitOfWork, user_id: uuid.UUID, page: int, size: int, status: str | None
) -> tuple[list[Generation], int]:
    """The user's generations, newest first."""
    conditions = [Generation.user_id == user_id]
    if status:
        conditions.append(Generation.status == status)
    query = select(Generation).options(*LISTED_LOADED).where(*conditions)
    query = query.order_by(Generation.created_at.desc(), Generation.id.desc()).offset((page - 1) * size).limit(size)
    with uow as session:
        items = mark_liked(session, list(session.scalars(query)), user_id)
        return items, session.scalar(select(func.count()).select_from(Generation).where(*conditions))


def feed(
    uow: UnitOfWork,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None,
    style_id: uuid.UUID | None,
    viewer_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
) -> list[Generation]:
    """Public completed generations, newest first; `after` is the (completed_at, id) the last page ended on."""
    conditions = list(IN_FEED)
    if after is not None:
        conditions.append(tuple_(Generation.completed_at, Generation.id) < after)
    if style_id is not None:
        conditions.append(Generation.style_id == style_id)
    if user_id is not None:
        conditions.append(Generation.user_id == user_id)
    query = select(Generation).options(*LISTED_LOADED).where(*conditions)
    query = query.order_by(Generation.completed_at.desc(), Generation.id.desc()).limit(limit)
    with uow as session:
        return mark_liked(session, list(session.scalars(query)), viewer_id)


def mark_liked(session, generations: list[Generation], viewer_id: uuid.UUID | None) -> list[Generation]:
    """Set each generation's `liked_by_me` for the viewer: one query for the whole list, none when anonymous."""
    liked: set[uuid.UUID] = set()
    if viewer_id is not None and generations:
        ids = [generation.id for generation in generations]
        liked = set(
            session.scalars(
                select(GenerationLike.generation_id).where(
                    GenerationLike.user_id == viewer_id, GenerationLike.generation_id.in_(ids)
                )
            )
        )
    for generation in generations:
        generation.liked_by_me = generation.id in liked if viewer_id is not None else None
    return generations
