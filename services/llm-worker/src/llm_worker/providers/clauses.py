"""A sentence's clauses, each a candidate checklist item.

English splits where a second obligation starts ("... at the desk and must be escorted"), the split-off part
taking the sentence's subject; a short tail ("and never abbreviate it") stays. Korean splits at a connective
ending followed by a comma ("-며,", "-고,") only where a new clause starts: its own subject or topic in its first
two words ("..., 호출벨은 ...") or an obligation before it ("...해야 하며, ..."); otherwise the second verb
completes the first ("알리고, 119에 전화하십시오") and the sentence stays one item. Semicolons and ", so"
separate parts that are kept or dropped one by one (checklist.py), then joined again.
"""

import re

_EN_SPLIT = re.compile(r",?\s+and\s+(?=(?:must|should|never|always|do not|don't)\b)", re.I)
_KO_SPLIT = re.compile(r"(?<=[며고]),\s*")
_PARTS = re.compile(r"\s*[;\uff1b]\s*|,\s+so\s+(?=[a-z])")
_SUBJECT = re.compile(r"(.{1,60}?)\s+(?:must|should|shall)\b", re.I)
_MODAL_START = re.compile(r"(?:must|should|shall)\b", re.I)
_TOPIC = re.compile(r"[가-힣A-Za-z0-9)]+(?<!에)(?<!에서)(?<!으로)(?<!로)(?:은|는|이|가)$")
_OBLIGED = re.compile(r"(?:야|여야)\s*하(?:며|고)$")
_MIN_WORDS = 5


def parts(sentence: str) -> list[str]:
    """A sentence cut at semicolons and at ", so" (each part is judged on its own)."""
    return [part for part in _PARTS.split(sentence) if part and part.strip()]


def _english(text: str) -> list[str]:
    pieces = [piece.strip() for piece in _EN_SPLIT.split(text) if piece.strip()]
    subject = _SUBJECT.match(pieces[0])
    result = [pieces[0]]
    for piece in pieces[1:]:
        modal = _MODAL_START.match(piece)
        if len(piece.split()) < _MIN_WORDS or (modal and not subject):
            result[-1] = f"{result[-1]} and {piece}"
        else:
            result.append(f"{subject.group(1)} {piece}" if modal else piece)
    return result


def _starts_clause(previous: str, following: str) -> bool:
    """Whether a Korean connective is followed by a clause of its own."""
    return any(_TOPIC.search(word) for word in following.split()[:2]) or bool(_OBLIGED.search(previous))


def _korean(text: str) -> list[str]:
    pieces = [piece.strip() for piece in _KO_SPLIT.split(text) if piece.strip()]
    result = [pieces[0]]
    for piece in pieces[1:]:
        if _starts_clause(result[-1], piece):
            result.append(piece)
        else:
            result[-1] = f"{result[-1]}, {piece}"
    return result


def clauses(text: str) -> list[str]:
    """The clauses of one sentence or part of a sentence."""
    text = text.strip()
    if not text:
        return []
    return [korean_clause for clause in _english(text) for korean_clause in _korean(clause)]
