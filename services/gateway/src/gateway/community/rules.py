"""Rules of the studio's community: what can be liked or commented, comment text, who is told, search terms.

Only a completed public generation takes likes and comments. Another user's
generation that is private or unfinished is not even known to exist (404);
your own is a 409 until it is completed, and for good if it is private.
The owner of the generation is told of a like, a comment or a follow, never of
their own, and of one user's like (or follow) once, however often it is undone
and done again.
"""

import re
import unicodedata
import uuid

MAX_COMMENT_LENGTH = 1000
MIN_QUERY_LENGTH, MAX_QUERY_LENGTH = 1, 100
MIN_TRIGRAM_CHARS = 3  # pg_trgm finds a substring through its index only from three characters on
MAX_QUERY_TERMS = 8
EXCERPT_LENGTH = 140
_TERM = re.compile(r"\w+")


def open_to_reactions(status: str, is_public: bool) -> bool:
    """Whether a generation takes likes and comments."""
    return status == "completed" and is_public


def tells_owner(actor_id: uuid.UUID, owner_id: uuid.UUID) -> bool:
    """Whether the owner hears of what `actor_id` did: never of their own likes, comments or follows."""
    return actor_id != owner_id


def tidy_comment(body: str) -> str:
    """A comment as stored: trimmed of surrounding whitespace, line breaks within kept."""
    return body.strip()


def comment_problem(body: str) -> str | None:
    """Why a (tidied) comment body cannot be stored, or None."""
    if not body:
        return "Must not be empty or only whitespace."
    if len(body) > MAX_COMMENT_LENGTH:
        return f"At most {MAX_COMMENT_LENGTH} characters (got {len(body)})."
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in body):
        return "Must not contain control characters."
    return None


def excerpt(body: str) -> str:
    """The start of a comment on one line, for a notification."""
    flat = " ".join(body.split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[: EXCERPT_LENGTH - 1] + "…"


def normalise_query(q: str) -> str:
    """A search query as matched: NFC (so composed and decomposed Hangul match), spaces collapsed, lower-cased."""
    return " ".join(unicodedata.normalize("NFC", q).split()).lower()


def query_terms(q: str) -> list[str]:
    """The words of a normalised query (letters and digits of any script), the first MAX_QUERY_TERMS of them."""
    return _TERM.findall(q)[:MAX_QUERY_TERMS]


def prefix_tsquery(terms: list[str]) -> str | None:
    """A to_tsquery('simple', ...) text matching every term as a word prefix ('수채:*' finds '수채화'), or None."""
    return " & ".join(f"'{term}':*" for term in terms) or None


def contains_pattern(q: str) -> str:
    """A LIKE pattern matching `q` anywhere, its own % _ and \\ taken literally."""
    return "%" + _literal(q) + "%"


def prefix_pattern(q: str) -> str:
    """A LIKE pattern matching what starts with `q`."""
    return _literal(q) + "%"


def _literal(q: str) -> str:
    return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def substring_indexed(q: str) -> bool:
    """Whether the trigram index can find `q` as a substring (else only word prefixes and names are searched)."""
    return len(q) >= MIN_TRIGRAM_CHARS
