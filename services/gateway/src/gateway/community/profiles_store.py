"""The profiles' SQL: users with their follows, the counts a profile shows, and the artists a search finds."""

import functools
import uuid
from datetime import datetime

from sqlalchemy import Select, any_, bindparam, cast, exists, func, literal_column, null, select, tuple_

from gateway.accounts.models import User
from gateway.community.models import Follow
from gateway.studio import styles_store as styles_sql
from gateway.studio.generations_store import IN_FEED
from gateway.studio.models import Generation, Style
from gateway.studio.styles_store import FLOAT as FLOAT53
from gateway.studio.styles_store import LISTED

ARTIST = any_(User.roles) == literal_column("'artist'")  # literal, as the partial indexes' predicate


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


@functools.lru_cache(maxsize=64)
def artists(substring: bool, viewer: bool, after: bool, limit: int) -> Select:
    """From three characters anywhere in the name (trigram index), shorter ones at its start (text_pattern_ops);
    the best page of (id, score) is chosen first, then read as profiles in one statement."""
    username = func.lower(User.username)
    match = username.like(bindparam("contains" if substring else "prefix"))
    popularity = styles_sql.POPULARITY * func.ln(1 + User.follower_count)
    score = cast(func.similarity(username, bindparam("q")) + styles_sql.name_bonus(username) + popularity, FLOAT53)
    top = styles_sql.best_page(select(User.id, score.label("score")).where(ARTIST, match), after, limit)
    query = select(*profile_columns(viewer), top.c.score).select_from(top).join(User, User.id == top.c.id)
    return query.order_by(top.c.score.desc(), top.c.id.desc())


class ProfileStore:
    """Plain methods over users, their follows and what they have published, inside the caller's transaction."""

    def __init__(self, session):
        self._session = session

    def user(self, user_id: uuid.UUID) -> User | None:
        return self._session.get(User, user_id)

    def follows(self, user_id: uuid.UUID, followers: bool, after, limit: int) -> list[tuple[User, datetime]]:
        """A page of the user's followers (or whom they follow) with since when, newest first; `after` is the
        (followed_at, id) the last page ended on."""
        mine, theirs = (
            (Follow.followee_id, Follow.follower_id) if followers else (Follow.follower_id, Follow.followee_id)
        )
        query = select(User, Follow.created_at).join(Follow, theirs == User.id).where(mine == user_id)
        if after is not None:
            query = query.where(tuple_(Follow.created_at, theirs) < after)
        query = query.order_by(Follow.created_at.desc(), theirs.desc()).limit(limit)
        return [(user, at) for user, at in self._session.execute(query).all()]

    def style_counts(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        """How many listed styles each artist has (those with none are left out)."""
        return self._counts(Style.artist_id, ids, LISTED)

    def image_counts(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        """How many public completed generations each user made (those with none are left out)."""
        return self._counts(Generation.user_id, ids, IN_FEED)

    def followed_among(self, viewer_id: uuid.UUID, ids: list[uuid.UUID]) -> set[uuid.UUID]:
        query = select(Follow.followee_id).where(Follow.follower_id == viewer_id, Follow.followee_id.in_(ids))
        return set(self._session.scalars(query))

    def _counts(self, column, ids: list[uuid.UUID], conditions: tuple) -> dict[uuid.UUID, int]:
        if not ids:
            return {}
        query = select(column, func.count()).where(*conditions, column.in_(ids)).group_by(column)
        return dict(self._session.execute(query).all())
