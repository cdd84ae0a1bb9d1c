"""Use cases of likes: like and unlike a generation, idempotently, its like_count kept in the same transaction.

A like is a row unique per (generation, user). Only a like that inserted a
row adds one to the count, and only an unlike that deleted one takes one away,
each in the transaction of the row, so the count is the number of rows however
many likes and unlikes race (the counter's UPDATE serialises them per
generation).
"""

import dataclasses
import uuid
from datetime import UTC, datetime

from gateway.community.service import open_generation, style_facts, tell_owner
from gateway.community.store import CommunityStore
from gateway.platform.db import UnitOfWork


@dataclasses.dataclass(frozen=True)
class LikeState:
    generation_id: uuid.UUID
    liked: bool
    like_count: int


def like(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> LikeState:
    """Like a completed public generation; liking it again changes nothing. Its owner is told of the first like."""
    with uow:
        store = uow.store(CommunityStore)
        generation = open_generation(store, raw_id, user_id)
        if not store.add_like(generation.id, user_id, datetime.now(UTC)):
            count = store.like_count(generation.id)
        else:
            count = store.add_to_like_count(generation.id, 1)
            facts = {"generation_id": str(generation.id), **style_facts(generation), "like_count": count}
            subject = str(generation.id)
            once = ("like", generation.id)
            tell_owner(store, generation.user_id, user_id, "generation.liked", facts, subject, once)
        uow.commit()
        return LikeState(generation.id, True, count)


def unlike(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> LikeState:
    """Take a like back; unliking what you do not like changes nothing."""
    with uow:
        store = uow.store(CommunityStore)
        generation = open_generation(store, raw_id, user_id)
        removed = store.remove_like(generation.id, user_id)
        count = store.add_to_like_count(generation.id, -1) if removed else store.like_count(generation.id)
        uow.commit()
        return LikeState(generation.id, False, count)
