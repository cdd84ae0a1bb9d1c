"""The community's SQL for likes and follows, and what they share: the generation reacted to, notices to owners."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import joinedload

from gateway.accounts.models import User
from gateway.community.models import CommunityNotice, Follow, GenerationLike
from gateway.notifications.events import publish_event
from gateway.studio.models import Generation


@dataclass(frozen=True)
class Reacted:
    """What likes and comments need to know of a generation and its style."""

    id: uuid.UUID
    user_id: uuid.UUID
    status: str
    is_public: bool
    style_id: uuid.UUID
    style_name: str
    style_visibility: str
    style_artist_id: uuid.UUID


class CommunityStore:
    """Plain methods over likes, follows, notices and the counters they keep, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def generation(self, generation_id: uuid.UUID) -> Reacted | None:
        query = (
            select(Generation)
            .options(joinedload(Generation.style, innerjoin=True))
            .where(Generation.id == generation_id)
        )
        row = self._session.scalars(query).first()
        if row is None:
            return None
        style = row.style
        return Reacted(
            row.id, row.user_id, row.status, row.is_public, style.id, style.name, style.visibility, style.artist_id
        )

    def add_notice(self, kind: str, about: uuid.UUID, actor_id: uuid.UUID, now: datetime) -> bool:
        """Whether this (kind, subject, actor) notice is new (False: it was given before)."""
        first = self._session.execute(
            insert(CommunityNotice)
            .values(kind=kind, subject_id=about, actor_id=actor_id, created_at=now)
            .on_conflict_do_nothing()
            .returning(CommunityNotice.actor_id)
        ).first()
        return first is not None

    def username(self, user_id: uuid.UUID) -> str | None:
        return self._session.scalar(select(User.username).where(User.id == user_id))

    def publish(self, owner_id: uuid.UUID, event_type: str, facts: dict, subject_id: str) -> None:
        publish_event(self._session, owner_id, event_type, facts, subject_id)

    def add_like(self, generation_id: uuid.UUID, user_id: uuid.UUID, now: datetime) -> bool:
        """Whether the like is new."""
        added = self._session.execute(
            insert(GenerationLike)
            .values(generation_id=generation_id, user_id=user_id, created_at=now)
            .on_conflict_do_nothing()
            .returning(GenerationLike.user_id)
        ).first()
        return added is not None

    def remove_like(self, generation_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        """Whether there was a like to remove."""
        removed = self._session.execute(
            delete(GenerationLike)
            .where(GenerationLike.generation_id == generation_id, GenerationLike.user_id == user_id)
            .returning(GenerationLike.user_id)
        ).first()
        return removed is not None

    def add_to_like_count(self, generation_id: uuid.UUID, step: int) -> int:
        return self._session.execute(
            update(Generation)
            .where(Generation.id == generation_id)
            .values(like_count=Generation.like_count + step)
            .returning(Generation.like_count)
            .execution_options(synchronize_session=False)
        ).scalar_one()

    def like_count(self, generation_id: uuid.UUID) -> int:
        return self._session.scalar(select(Generation.like_count).where(Generation.id == generation_id))

    def lock_follower_counts(self, user_ids: tuple[uuid.UUID, ...]) -> dict[uuid.UUID, int]:
        """The users' follower counts, their rows locked in id order (two crossed follows cannot deadlock)."""
        rows = self._session.execute(
            select(User.id, User.follower_count)
            .where(User.id.in_(user_ids))
            .order_by(User.id)
            .with_for_update(key_share=True)
        ).all()
        return dict(rows)

    def add_follow(self, follower_id: uuid.UUID, followee_id: uuid.UUID, now: datetime) -> bool:
        """Whether the follow is new."""
        added = self._session.execute(
            insert(Follow)
            .values(follower_id=follower_id, followee_id=followee_id, created_at=now)
            .on_conflict_do_nothing()
            .returning(Follow.follower_id)
        ).first()
        return added is not None

    def remove_follow(self, follower_id: uuid.UUID, followee_id: uuid.UUID) -> bool:
        """Whether there was a follow to remove."""
        removed = self._session.execute(
            delete(Follow)
            .where(Follow.follower_id == follower_id, Follow.followee_id == followee_id)
            .returning(Follow.follower_id)
        ).first()
        return removed is not None

    def add_to_follow_counts(self, follower_id: uuid.UUID, followee_id: uuid.UUID, step: int) -> int:
        """Move both users' counters by `step`; the followee's new follower count."""
        self._session.execute(
            update(User)
            .where(User.id == follower_id)
            .values(following_count=User.following_count + step)
            .execution_options(synchronize_session=False)
        )
        return self._session.execute(
            update(User)
            .where(User.id == followee_id)
            .values(follower_count=User.follower_count + step)
            .returning(User.follower_count)
            .execution_options(synchronize_session=False)
        ).scalar_one()
