"""Use cases of follows: follow and unfollow a user, idempotently, both users' counters kept in the same transaction.

The two users' rows are locked in id order before anything changes, so two
users following each other at the same moment cannot deadlock, and the counts
always equal the follows rows. The followed user is told of a follower once,
however often they unfollow and follow again.
"""

import dataclasses
import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert

from gateway.accounts.models import User
from gateway.community.models import Follow
from gateway.community.profiles import parse_user_id
from gateway.community.service import tell_owner
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import InvalidInput, NotFound


@dataclasses.dataclass(frozen=True)
class FollowState:
    user_id: uuid.UUID
    following: bool
    follower_count: int


def follow(uow: UnitOfWork, follower_id: uuid.UUID, raw_id: str) -> FollowState:
    """Follow a user; following them again changes nothing."""
    with uow as session:
        followee_id, follower_count = _lock_pair(session, follower_id, raw_id)
        added = session.execute(
            insert(Follow)
            .values(follower_id=follower_id, followee_id=followee_id, created_at=datetime.now(UTC))
            .on_conflict_do_nothing()
            .returning(Follow.follower_id)
        ).first()
        if added is not None:
            follower_count = _add(session, follower_id, followee_id, 1)
            facts = {"follower_id": str(follower_id), "follower_count": follower_count}
            once = ("follow", followee_id)
            tell_owner(session, followee_id, follower_id, "user.followed", facts, str(follower_id), once)
        uow.commit()
        return FollowState(followee_id, True, follower_count)


def unfollow(uow: UnitOfWork, follower_id: uuid.UUID, raw_id: str) -> FollowState:
    """Stop following a user; unfollowing someone you do not follow changes nothing."""
    with uow as session:
        followee_id, follower_count = _lock_pair(session, follower_id, raw_id)
        removed = session.execute(
            delete(Follow)
            .where(Follow.follower_id == follower_id, Follow.followee_id == followee_id)
            .returning(Follow.follower_id)
        ).first()
        if removed is not None:
            follower_count = _add(session, follower_id, followee_id, -1)
        uow.commit()
        return FollowState(followee_id, False, follower_count)


def _lock_pair(session, follower_id: uuid.UUID, raw_id: str) -> tuple[uuid.UUID, int]:
    """(the followee's id, its follower count) with both users' rows locked in id order; 422 for yourself."""
    followee_id = parse_user_id(raw_id)
    if followee_id == follower_id:
        raise InvalidInput("You cannot follow yourself.")
    rows = session.execute(
        select(User.id, User.follower_count)
        .where(User.id.in_((follower_id, followee_id)))
        .order_by(User.id)
        .with_for_update(key_share=True)
    ).all()
    counts = dict(rows)
    if followee_id not in counts:
        raise NotFound(f"no user with id {followee_id}")
    return followee_id, counts[followee_id]


def _add(session, follower_id: uuid.UUID, followee_id: uuid.UUID, step: int) -> int:
    """Move both counters by `step`; the followee's new follower count."""
    session.execute(
        update(User)
        .where(User.id == follower_id)
        .values(following_count=User.following_count + step)
        .execution_options(synchronize_session=False)
    )
    return session.execute(
        update(User)
        .where(User.id == followee_id)
        .values(follower_count=User.follower_count + step)
        .returning(User.follower_count)
        .execution_options(synchronize_session=False)
    ).scalar_one()
