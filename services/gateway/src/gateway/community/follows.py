"""Use cases of follows: follow and unfollow a user, idempotently, both users' counters kept in the same transaction.

The two users' rows are locked in id order before anything changes, so two
users following each other at the same moment cannot deadlock, and the counts
always equal the follows rows. The followed user is told of a follower once,
however often they unfollow and follow again.
"""

import dataclasses
import uuid
from datetime import UTC, datetime

from gateway.community.profiles import parse_user_id
from gateway.community.service import tell_owner
from gateway.community.store import CommunityStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import InvalidInput, NotFound


@dataclasses.dataclass(frozen=True)
class FollowState:
    user_id: uuid.UUID
    following: bool
    follower_count: int


def follow(uow: UnitOfWork, follower_id: uuid.UUID, raw_id: str) -> FollowState:
    """Follow a user; following them again changes nothing."""
    with uow:
        store = uow.store(CommunityStore)
        followee_id, follower_count = _lock_pair(store, follower_id, raw_id)
        if store.add_follow(follower_id, followee_id, datetime.now(UTC)):
            follower_count = store.add_to_follow_counts(follower_id, followee_id, 1)
            facts = {"follower_id": str(follower_id), "follower_count": follower_count}
            once = ("follow", followee_id)
            tell_owner(store, followee_id, follower_id, "user.followed", facts, str(follower_id), once)
        uow.commit()
        return FollowState(followee_id, True, follower_count)


def unfollow(uow: UnitOfWork, follower_id: uuid.UUID, raw_id: str) -> FollowState:
    """Stop following a user; unfollowing someone you do not follow changes nothing."""
    with uow:
        store = uow.store(CommunityStore)
        followee_id, follower_count = _lock_pair(store, follower_id, raw_id)
        if store.remove_follow(follower_id, followee_id):
            follower_count = store.add_to_follow_counts(follower_id, followee_id, -1)
        uow.commit()
        return FollowState(followee_id, False, follower_count)


def _lock_pair(store: CommunityStore, follower_id: uuid.UUID, raw_id: str) -> tuple[uuid.UUID, int]:
    """(the followee's id, its follower count) with both users' rows locked in id order; 422 for yourself."""
    followee_id = parse_user_id(raw_id)
    if followee_id == follower_id:
        raise InvalidInput("You cannot follow yourself.")
    counts = store.lock_follower_counts((follower_id, followee_id))
    if followee_id not in counts:
        raise NotFound(f"no user with id {followee_id}")
    return followee_id, counts[followee_id]
