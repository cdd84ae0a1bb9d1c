"""Use cases of search: public trained styles by name, tags and description; artists by username.

Styles match in two ways, both through GIN indexes on generated columns
(migration 0007): every word of the query as a word prefix in a `simple`
tsvector (no stemming: Postgres has no Korean dictionary, and '수채' still
finds '수채화'), or the whole query as a substring of name, tags and
description through a trigram index, which finds Korean inside longer words
('수채화' in '수채화풍'). The trigram index needs three characters; a one or
two character query matches word prefixes everywhere and substrings of names
only, by a scan of the listed styles (fast at tens of thousands of styles).
Rank: ts_rank (name above tags above description) plus the name's word
similarity, plus a small boost for popularity; ties by id. Pages follow a
keyset (score, id) cursor.
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

POPULARITY = 0.01  # per natural log of (1 + generations or followers): a tie-breaker more than a ranking
ARTIST = any_(User.roles) == literal_column("'artist'")  # literal, as the partial trigram index's predicate


def search_styles(uow: UnitOfWork, q: str, limit: int, after: tuple[float, uuid.UUID] | None = None) -> list[Style]:
    """Listed styles matching the (normalised) query, best first; each with its `search_score`."""
    pattern, tsquery_text = contains_pattern(q), prefix_tsquery(query_terms(q))
    name = func.lower(Style.name)
    matches = [Style.search_text.like(pattern) if substring_indexed(q) else name.like(pattern)]
    rank = literal(0.0)
    if tsquery_text:
        tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), tsquery_text)
        matches.append(Style.search_vector.op("@@")(tsquery))
        rank = func.ts_rank(Style.search_vector, tsquery)
    popularity = POPULARITY * func.ln(1 + Style.generation_count)
    score = cast(rank + func.word_similarity(q, name) + popularity, Float(53)).label("score")
    ranked = select(Style.id, score).where(*LISTED, or_(*matches)).subquery("ranked")
    query = select(Style, ranked.c.score).join(ranked, ranked.c.id == Style.id)
    if after is not None:
        query = query.where(tuple_(ranked.c.score, ranked.c.id) < tuple_(literal(after[0], Float(53)), after[1]))
    query = query.options(joinedload(Style.artist, innerjoin=True))
    query = query.order_by(ranked.c.score.desc(), ranked.c.id.desc()).limit(limit)
    with uow as session:
        found = []
        for style, style_score in session.execute(query).all():
            style.search_score = style_score
            found.append(style)
        return found


def search_artists(
    uow: UnitOfWork, q: str, limit: int, viewer_id: uuid.UUID | None, after: tuple[float, uuid.UUID] | None = None
) -> list[Profile]:
    """Artists whose username contains the (normalised) query, best first, as profiles with their `score`."""
    username = func.lower(User.username)
    exact = case((username == q, 1.0), else_=0.0)
    prefix = case((username.like(prefix_pattern(q)), 0.5), else_=0.0)
    popularity = POPULARITY * func.ln(1 + User.follower_count)
    score = cast(func.similarity(username, q) + exact + prefix + popularity, Float(53)).label("score")
    ranked = select(User.id, score).where(ARTIST, username.like(contains_pattern(q))).subquery("ranked")
    query = select(User, ranked.c.score).join(ranked, ranked.c.id == User.id)
    if after is not None:
        query = query.where(tuple_(ranked.c.score, ranked.c.id) < tuple_(literal(after[0], Float(53)), after[1]))
    query = query.order_by(ranked.c.score.desc(), ranked.c.id.desc()).limit(limit)
    with uow as session:
        rows = session.execute(query).all()
        return profiles(session, [user for user, _ in rows], viewer_id, {user.id: s for user, s in rows})
