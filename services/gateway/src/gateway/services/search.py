"""Use cases of search: public trained styles by name, tags and description; artists by username.

Styles match in two ways, both through GIN indexes on generated columns
(migration 0007): every word of the query as a word prefix in a `simple`
tsvector (no stemming: Postgres has no Korean dictionary, and '수채' still
finds '수채화'), or the whole query as a substring of name, tags and
description through a trigram index, which finds Korean inside longer words
('수채화' in '수채화풍'). pg_trgm needs three characters to find a substring
through its index, so a one or two character query matches word beginnings
only ('숲' finds '숲속', not '밤숲'): scanning every style for a substring
would cost tens of milliseconds at 10,000 styles. Artists match on their
username: anywhere from three characters, at its start below that.

Rank: ts_rank (name above tags above description), plus a bonus when the name
is the query, starts with it or holds it, plus a little for popularity; ties
by id. The best page is chosen before anything is joined to it, and pages
follow a keyset (score, id) cursor.
"""

import uuid

from sqlalchemy import Float, any_, case, cast, func, literal, literal_column, or_, select, tuple_
from sqlalchemy.orm import joinedload

from gateway.db import UnitOfWork
from gateway.domain.community import (
    contains_pattern,
    prefix_pattern,
    prefix_tsquery,
    query_terms,
    substring_indexed,
)
from gateway.models import Style, User
from gateway.services.profiles import Profile, profiles
from gateway.services.styles import LISTED

FLOAT = Float(53)
POPULARITY = 0.01  # per natural log of (1 + generations or followers): a tie-breaker more than a ranking
ARTIST = any_(User.roles) == literal_column("'artist'")  # literal, as the partial indexes' predicate


def search_styles(uow: UnitOfWork, q: str, limit: int, after: tuple[float, uuid.UUID] | None = None) -> list[Style]:
    """Listed styles matching the (normalised) query, best first; each with its `search_score`."""
    matches, rank = [], literal(0.0)
    if substring_indexed(q):
        matches.append(Style.search_text.like(contains_pattern(q)))
    if tsquery_text := prefix_tsquery(query_terms(q)):
        tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), tsquery_text)
        matches.append(Style.search_vector.op("@@")(tsquery))
        rank = func.ts_rank(Style.search_vector, tsquery)
    if not matches:  # one or two characters that are no word: nothing an index can find
        return []
    score = cast(
        rank + _name_bonus(func.lower(Style.name), q) + POPULARITY * func.ln(1 + Style.generation_count), FLOAT
    )
    top = _top(select(Style.id, score.label("score")).where(*LISTED, or_(*matches)), limit, after)
    query = select(Style, top.c.score).join(top, top.c.id == Style.id)
    query = query.options(joinedload(Style.artist, innerjoin=True)).order_by(top.c.score.desc(), top.c.id.desc())
    with uow as session:
        found = []
        for style, style_score in session.execute(query).all():
            style.search_score = style_score
            found.append(style)
        return found


def _name_bonus(name, q: str):
    """The name said exactly, begun with, or holding the query, in that order of merit (cheap LIKEs on one row)."""
    return case(
        (name == q, 1.0), (name.like(prefix_pattern(q)), 0.5), (name.like(contains_pattern(q)), 0.25), else_=0.0
    )


def search_artists(
    uow: UnitOfWork, q: str, limit: int, viewer_id: uuid.UUID | None, after: tuple[float, uuid.UUID] | None = None
) -> list[Profile]:
    """Artists whose username contains the (normalised) query, best first, as profiles with their `score`."""
    username = func.lower(User.username)
    # from three characters anywhere in the name (trigram index), shorter ones at its start (text_pattern_ops)
    match = username.like(contains_pattern(q) if substring_indexed(q) else prefix_pattern(q))
    popularity = POPULARITY * func.ln(1 + User.follower_count)
    score = cast(func.similarity(username, q) + _name_bonus(username, q) + popularity, FLOAT).label("score")
    top = _top(select(User.id, score).where(ARTIST, match), limit, after)
    query = select(User, top.c.score).join(top, top.c.id == User.id).order_by(top.c.score.desc(), top.c.id.desc())
    with uow as session:
        rows = session.execute(query).all()
        return profiles(session, [user for user, _ in rows], viewer_id, {user.id: s for user, s in rows})


def _top(scored, limit: int, after: tuple[float, uuid.UUID] | None):
    """The best `limit` (id, score) of the matches after the cursor: ranked before anything is joined to them."""
    scored = scored.subquery("scored")
    top = select(scored.c.id, scored.c.score)
    if after is not None:
        top = top.where(tuple_(scored.c.score, scored.c.id) < tuple_(literal(after[0], FLOAT), after[1]))
    return top.order_by(scored.c.score.desc(), scored.c.id.desc()).limit(limit).subquery("top")
