"""Use cases of public profiles: one user's, and the followers and followings of one, each with its counts.

A profile's counts come from the rows they count: followers and followings are
kept on the user (with the follows, in their transaction); public trained
styles and public completed generations are counted from small partial
indexes, a whole page of profiles in one query each.
"""

import dataclasses
import uuid
from datetime import datetime

from gateway.accounts.models import User
from gateway.community.profiles_store import ProfileStore
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import NotFound


@dataclasses.dataclass(frozen=True)
class Profile:
    """What anyone may know of a user."""

    id: uuid.UUID
    username: str
    is_artist: bool
    created_at: datetime
    follower_count: int
    following_count: int
    style_count: int
    generation_count: int
    followed_by_me: bool | None  # None when the viewer is anonymous
    followed_at: datetime | None = None  # in a list of followers or followings: since when
    score: float | None = None  # in search results: the rank


def parse_user_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise NotFound(f"'{str(raw)[:64]}' is not a user id (user ids are UUIDs)") from None


def get_profile(uow: UnitOfWork, raw_id: str, viewer_id: uuid.UUID | None) -> Profile:
    """A user's public profile; 404 for an unknown or malformed id."""
    user_id = parse_user_id(raw_id)
    with uow:
        store = uow.store(ProfileStore)
        user = store.user(user_id)
        if user is None:
            raise NotFound(f"no user with id {user_id}")
        return profiles(store, [user], viewer_id)[0]


def followers(uow: UnitOfWork, raw_id: str, viewer_id, limit: int, after) -> list[Profile]:
    """Who follows the user, most recent first; `after` is the (followed_at, id) the last page ended on."""
    return _follow_list(uow, raw_id, viewer_id, limit, after, followers=True)


def following(uow: UnitOfWork, raw_id: str, viewer_id, limit: int, after) -> list[Profile]:
    """Whom the user follows, most recent first."""
    return _follow_list(uow, raw_id, viewer_id, limit, after, followers=False)


def _follow_list(uow: UnitOfWork, raw_id: str, viewer_id, limit: int, after, followers: bool) -> list[Profile]:
    user_id = parse_user_id(raw_id)
    with uow:
        store = uow.store(ProfileStore)
        if store.user(user_id) is None:
            raise NotFound(f"no user with id {user_id}")
        rows = store.follows(user_id, followers, after, limit)
        cards = profiles(store, [user for user, _ in rows], viewer_id)
        return [dataclasses.replace(card, followed_at=at) for card, (_, at) in zip(cards, rows, strict=True)]


def profiles(
    store: ProfileStore, users: list[User], viewer_id: uuid.UUID | None, scores: dict[uuid.UUID, float] | None = None
) -> list[Profile]:
    """The users' profiles, in their order: three queries for the whole list, whatever its length."""
    ids = [user.id for user in users]
    styles = store.style_counts(ids)
    images = store.image_counts(ids)
    followed: set[uuid.UUID] = set()
    if viewer_id is not None and ids:
        followed = store.followed_among(viewer_id, ids)
    return [
        Profile(
            id=user.id,
            username=user.username,
            is_artist="artist" in user.roles,
            created_at=user.created_at,
            follower_count=user.follower_count,
            following_count=user.following_count,
            style_count=styles.get(user.id, 0),
            generation_count=images.get(user.id, 0),
            followed_by_me=None if viewer_id is None else user.id in followed,
            score=(scores or {}).get(user.id),
        )
        for user in users
    ]
