"""What likes, comments and follows share: finding the generation they are about, telling its owner."""

import uuid
from datetime import UTC, datetime

from gateway.community.rules import open_to_reactions, tells_owner
from gateway.community.store import CommunityStore, Reacted
from gateway.platform.errors import Conflict, NotFound
from gateway.studio.generations import parse_generation_id
from gateway.studio.rules import style_shown


def visible_generation(store: CommunityStore, raw_id: str, viewer_id: uuid.UUID | None) -> Reacted:
    """A generation the viewer may see (completed and public, or their own); else 404, as GET /api/generations/{id}."""
    generation_id = parse_generation_id(raw_id)
    generation = store.generation(generation_id)
    mine = generation is not None and generation.user_id == viewer_id
    if generation is None or not (mine or open_to_reactions(generation.status, generation.is_public)):
        raise NotFound(f"no generation with id {generation_id}")
    return generation


def style_facts(generation: Reacted) -> dict:
    """The style a notice to the generation's maker names: none when it is private and not theirs."""
    if not style_shown(generation.style_visibility, generation.style_artist_id, generation.user_id):
        return {}
    return {"style_id": str(generation.style_id), "style_name": generation.style_name}


def open_generation(store: CommunityStore, raw_id: str, viewer_id: uuid.UUID) -> Reacted:
    """A generation that takes likes and comments: 404 if the viewer may not see it, 409 if it is their own but
    unfinished or private."""
    generation = visible_generation(store, raw_id, viewer_id)
    if not open_to_reactions(generation.status, generation.is_public):
        state = "private" if generation.status == "completed" else f"{generation.status}, not completed"
        raise Conflict(f"Only completed public generations take likes and comments; this one is {state}.")
    return generation


def tell_owner(
    store: CommunityStore,
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
        if not store.add_notice(kind, about, actor_id, datetime.now(UTC)):
            return False
    facts = {**facts, "actor_id": str(actor_id), "actor_username": store.username(actor_id)}
    store.publish(owner_id, event_type, facts, subject_id)
    return True
