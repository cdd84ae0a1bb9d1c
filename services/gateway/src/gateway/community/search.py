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

from gateway.community import profiles_store
from gateway.community.profiles import Profile
from gateway.community.rules import contains_pattern, prefix_pattern, prefix_tsquery, query_terms, substring_indexed
from gateway.platform.db import UnitOfWork, fetch_rows
from gateway.studio import styles
from gateway.studio import styles_store as styles_sql
from shared.storage import ObjectStore


def search_styles(
    uow: UnitOfWork, store: ObjectStore, q: str, limit: int, after: tuple[float, uuid.UUID] | None = None
) -> list[styles_sql.StyleRow]:
    """Listed styles matching the (normalised) query, best first; each with its `search_score`."""
    terms = query_terms(q)
    substring, tsquery = substring_indexed(q), prefix_tsquery(terms)
    if not (substring or tsquery):  # one or two characters that are no word: nothing an index can find
        return []
    # A lexeme of the `simple` configuration is a lower-cased piece of the text, so when the query is one
    # word a style that has it as a word prefix also holds it as a substring: the word match would only
    # add a second index scan (and its recheck on every row) to find the same styles.
    words = tsquery is not None and not (substring and terms == [q])
    params = {"q": q, "prefix": prefix_pattern(q), "contains": contains_pattern(q), "tsquery": tsquery}
    if after is not None:
        params["after_score"], params["after_id"] = after
    statement = styles_sql.search(substring, words, tsquery is not None, after is not None, limit)
    with uow.reading(generic_plans=True) as conn:
        rows = fetch_rows(conn, statement, params)
    return [styles.shown(store, styles_sql.to_row(row)) for row in rows]


def search_artists(
    uow: UnitOfWork, q: str, limit: int, viewer_id: uuid.UUID | None, after: tuple[float, uuid.UUID] | None = None
) -> list[Profile]:
    """Artists whose username contains the (normalised) query, best first, as profiles with their `score`."""
    params = {"q": q, "prefix": prefix_pattern(q), "contains": contains_pattern(q), "viewer_id": viewer_id}
    if after is not None:
        params["after_score"], params["after_id"] = after
    statement = profiles_store.artists(substring_indexed(q), viewer_id is not None, after is not None, limit)
    with uow.reading(generic_plans=True) as conn:
        return [Profile(*row[:-1], score=row[-1]) for row in fetch_rows(conn, statement, params)]
