"""Use cases of public profiles: one user's, and the followers and followings of one, each with its counts.

A profile's counts come from the rows they count: followers and followings are
kept on the user (with the follows, in their transaction); public trained
styles and public completed generations are counted from small partial
indexes, a whole page of profiles in one query each.
"""

import dataclasses
import uuid
from datetime import datetime

from sqlalchemy import any_, bindparam, exists, func, literal_column, null, select, tuple_

from gateway.accounts.models import User
from gateway.community.models import Follow
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import NotFound
from gateway.studio.generations_store import IN_FEED
from gateway.studio.models import Generation, Style
from gateway.studio.styles_store import LISTED


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


def profile_columns(viewer: bool) -> tuple:
    """A Profile's fields as the columns of one statement over `users`: counts as correlated subqueries
    (served by small partial indexes), and whether the viewer (`viewer_id`) follows, or null anonymous."""
    styles = select(func.count()).where(Style.artist_id == User.id, *LISTED).scalar_subquery()
    images = select(func.count()).where(Generation.user_id == User.id, *IN_FEED).scalar_subquery()
    followed = (
        exists().where(Follow.follower_id == bindparam("viewer_id"), Follow.followee_id == User.id)
        if viewer
        else null()
    )
    artist = literal_column("'artist'") == any_(User.roles)
    return (User.id, User.username, artist, User.created_at, User.follower_count, User.following_count, styles,
            images, followed)  # fmt: skip


def parse_user_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise NotFound(f"'{str(raw)[:64]}' is not a user id (user ids are UUIDs)") from None


def get_profile(uow: UnitOfWork, raw_id: str, viewer_id: uuid.UUID | None) -> Profile:
    """A user's public profile; 404 for an unknown or malformed id."""
    user_id = parse_user_id(raw_id)
    with uow as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(f"no user with id {user_id}")
        return profiles(session, [user], viewer_id)[0]


def followers(uow: UnitOfWork, raw_id: str, viewer_id, limit: int, after) -> list[Profile]:
    """Who follows the user, most recent first; `after` is the (followed_at, id) the last page ended on."""
    return _follow_list(uow, raw_id, viewer_id, limit, after, Follow.followee_id, Follow.follower_id)


def following(uow: UnitOfWork, raw_id: str, viewer_id, limit: int, after) -> list[Profile]:
    """Whom the user follows, most recent first."""
    return _follow_list(uow, raw_id, viewer_id, limit, after, Follow.follower_id, Follow.followee_id)


def _follow_list(uow: UnitOfWork, raw_id: str, viewer_id, limit: int, after, mine, theirs) -> list[Profile]:
    user_id = parse_user_id(raw_id)
    query = select(User, Follow.created_at).join(Follow, theirs == User.id).where(mine == user_id)
    if after is not None:
        query = query.where(tuple_(Follow.created_at, theirs) < after)
    query = query.order_by(Follow.created_at.desc(), theirs.desc()).limit(limit)
    with uow as session:
        if session.get(User, user_id) is None:
            raise NotFound(f"no user with id {user_id}")
        rows = session.execute(query).all()
        cards = profiles(session, [user for user, _ in rows], viewer_id)
        return [dataclasses.replace(card, followed_at=at) for card, (_, at) in zip(cards, rows, strict=True)]


def profiles(
    session, users: list[User], viewer_id: uuid.UUID | None, scores: dict[uuid.UUID, float] | None = None
) -> list[Profile]:
    """The users' profiles, in their order: three queries for the whole list, whatever its length."""
    ids = [user.id for user in users]
    styles = _counts(session, Style.artist_id, ids, LISTED)
    images = _counts(session, Generation.user_id, ids, IN_FEED)
    followed: set[uuid.UUID] = set()
    if viewer_id is not None and ids:
        query = select(Follow.followee_id).where(Follow.follower_id == viewer_id, Follow.followee_id.in_(ids))
        followed = set(session.scalars(query))
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


def _counts(session, column, ids: list[uuid.UUID], conditions: tuple) -> dict[uuid.UUID, int]:
    if not ids:
        return {}
    query = select(column, func.count()).where(*conditions, column.in_(ids)).group_by(column)
    return dict(session.execute(query).all())
