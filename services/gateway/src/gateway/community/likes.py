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

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert

from gateway.community.models import GenerationLike
from gateway.community.service import open_generation, style_facts, tell_owner
from gateway.platform.db import UnitOfWork
from gateway.studio.models import Generation


@dataclasses.dataclass(frozen=True)
class LikeState:
    generation_id: uuid.UUID
    liked: bool
    like_count: int


def like(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> LikeState:
    """Like a completed public generation; liking it again changes nothing. Its owner is told of the first like."""
    with uow as session:
        generation = open_generation(session, raw_id, user_id)
        added = session.execute(
            insert(GenerationLike)
            .values(generation_id=generation.id, user_id=user_id, created_at=datetime.now(UTC))
            .on_conflict_do_nothing()
            .returning(GenerationLike.user_id)
        ).first()
        if added is None:
            count = _count(session, generation.id)
        else:
            count = _add(session, generation.id, 1)
            facts = {"generation_id": str(generation.id), **style_facts(generation), "like_count": count}
            subject = str(generation.id)
            once = ("like", generation.id)
            tell_owner(session, generation.user_id, user_id, "generation.liked", facts, subject, once)
        uow.commit()
        return LikeState(generation.id, True, count)


def unlike(uow: UnitOfWork, user_id: uuid.UUID, raw_id: str) -> LikeState:
    """Take a like back; unliking what you do not like changes nothing."""
    with uow as session:
        generation = open_generation(session, raw_id, user_id)
        removed = session.execute(
            delete(GenerationLike)
            .where(GenerationLike.generation_id == generation.id, GenerationLike.user_id == user_id)
            .returning(GenerationLike.user_id)
        ).first()
        count = _add(session, generation.id, -1) if removed else _count(session, generation.id)
        uow.commit()
        return LikeState(generation.id, False, count)


def _add(session, generation_id: uuid.UUID, step: int) -> int:
    return session.execute(
        update(Generation)
        .where(Generation.id == generation_id)
        .values(like_count=Generation.like_count + step)
        .returning(Generation.like_count)
        .execution_options(synchronize_session=False)
    ).scalar_one()


def _count(session, generation_id: uuid.UUID) -> int:
    return session.scalar(select(Generation.like_count).where(Generation.id == generation_id))
