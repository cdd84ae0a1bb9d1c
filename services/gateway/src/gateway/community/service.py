"""What likes, comments and follows share: finding the generation they are about, telling its owner."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import joinedload

from gateway.accounts.models import User
from gateway.community.models import CommunityNotice
from gateway.community.rules import open_to_reactions, tells_owner
from gateway.notifications.events import publish_event
from gateway.platform.errors import Conflict, NotFound
from gateway.studio.generations import parse_generation_id
from gateway.studio.models import Generation
from gateway.studio.rules import style_shown


def visible_generation(session, raw_id: str, viewer_id: uuid.UUID | None) -> Generation:
    """A generation the viewer may see (completed and public, or their own); else 404, as GET /api/generations/{id}."""
    generation_id = parse_generation_id(raw_id)
    query = (
        select(Generation).options(joinedload(Generation.style, innerjoin=True)).where(Generation.id == generation_id)
    )
    generation = session.scalars(query).first()
    mine = generation is not None and generation.user_id == viewer_id
    if generation is None or not (mine or open_to_reactions(generation.status, generation.is_public)):
        raise NotFound(f"no generation with id {generation_id}")
    return generation


def style_facts(generation: Generation) -> dict:
    """The style a notice to the generation's maker names: none when it is private and not theirs."""
    style = generation.style
    if not style_shown(style.visibility, style.artist_id, generation.user_id):
        return {}
    return {"style_id": str(style.id), "style_name": style.name}


def open_generation(session, raw_id: str, viewer_id: uuid.UUID) -> Generation:
    """A generation that takes likes and comments: 404 if the viewer may not see it, 409 if it is their own but
    unfinished or private."""
    generation = visible_generation(session, raw_id, viewer_id)
    if not open_to_reactions(generation.status, generation.is_public):
        state = "private" if generation.status == "completed" else f"{generation.status}, not completed"
        raise Conflict(f"Only completed public generations take likes and comments; this one is {state}.")
    return generation


def tell_owner(
    session,
    owner_id: uuid.UUID,
    actor_id: uuid.UUID,
    event_type: str,
    facts: dict,
    subject_id: str,
    once: tuple[str, uuid.UUID] | None = None,
) -> bool:
    """Publish `event_type` to the owner in this transaction, never for their own action. With `once` (a kind of
    notice and what it is about: ('like', generation id)), only the first time ever for this actor."""
    if not tells_owner(actor_id, owner_id):
        return False
    if once is not None:
        kind, about = once
        first = session.execute(
            insert(CommunityNotice)
            .values(kind=kind, subject_id=about, actor_id=actor_id, created_at=datetime.now(UTC))
            .on_conflict_do_nothing()
            .returning(CommunityNotice.actor_id)
        ).first()
        if first is None:
            return False
    username = session.scalar(select(User.username).where(User.id == actor_id))
    facts = {**facts, "actor_id": str(actor_id), "actor_username": username}
    publish_event(session, owner_id, event_type, facts, subject_id)
    return True
