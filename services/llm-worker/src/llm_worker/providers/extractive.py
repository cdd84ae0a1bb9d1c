"""Sentence splitting and extractive ranking behind the offline `local` provider (stdlib only)."""

import math
import re
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

SENTENCE, ITEM, HEADING = "sentence", "item", "heading"

_BULLET = re.compile(
    r"(?:[-*+•·▪‣◦●○■□►▶➤✓✔※]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[가나다라마바사아자차카타파하][.)])\s+|[①-⑳]\s*"
)
_MD_HEADING = re.compile(r"#{1,6}\s")
_CHECKBOX = re.compile(r"\[[ xX✓]?\]\s*")
_TERMINAL = re.compile(r"[.!?…。！？][\"'”’)\]]*$")
# Korean sentences often end a line without a period; a line ending like this is a sentence, not a heading.
_KO_END = re.compile(r"\s\S*[다요까죠음함임것][\"'”’)\]]*$")
# A line ending in a topic/object particle or a connective is a wrapped sentence, not a heading.
_KO_CONTINUES = re.compile(r"[가-힣](?:은|는|을|를|에서|에게|으로|이며|하고|하며|하여|및)$")
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|[。！？]+[\"'”’)\]]*|(?<=[가-힣])\.(?=[가-힣])")
_LAST_WORD = re.compile(r"\S+$")
_NO_SPLIT_AFTER = frozenset("e.g i.e dr mr mrs ms prof st vs cf fig no approx jr sr".split())
_MAX_UNIT = 400
_HEADING_MAX = 60

_WORD = re.compile(r"\w+")
_KO_SUFFIX = re.compile(
    r"^(.+?)(?:하십시오|십시오|하세요|합니다|입니다|습니다|됩니다|하여야|해야|하여|해서|하고|하는|하지|하며|한다|된다|되는|되어"
    r"|에게서|에서는|에서도|으로는|으로서|으로써|에게는|에서|에게|에는|에도|으로|로서|로써|까지|부터|보다|처럼|와의|과의|이나"
    r"|은|는|이|가|을|를|에|로|와|과|의|도|만|한|할|함|다|요)$"
)
_STOP = frozenset(
    "a an the and or but if then than so of to in on at by for with from into onto as is are was were be been being "
    "it its this that these those there their they them you your we our us he she his her i me my all any each every "
    "not no do does did done can could may might will would must should shall have has had also only such which who "
    "whom whose what when where how why while about above below over under per via etc e g i "
    "및 또는 등 그 이 저 것 수 있 있다 없 경우 위 위해 따라 대한 대해 모든 각 해당 관련 통해 때 중 내 시 반드시 "
    "합니다 한다 해야 하여야 하며 하고 하는 된다 됩니다 있습니다 하지 않".split()
)
OBLIGATION = re.compile(
    r"\b(?:must|should|shall|required?|requires|mandatory|never|always|do not|don't|need to|needs to|have to|has to"
    r"|ensure|prohibited|forbidden|not (?:allowed|permitted)|may not|cannot)\b"
    r"|반드시|해야|하여야|필요|금지|하지\s*마|않아야|안\s*(?:됩니다|된다|됨)|십시오|하세요|의무|준수|할\s*것",
    re.IGNORECASE,
)
# A sentence opening on a pronoun leans on the one before it and reads badly out of context.
_DANGLING = re.compile(r"(?:they|it|he|she|these|those|them)\b|(?:이는|그는|그녀는|이것은|그것은|이들은|그들은)\s", re.I)
_KIND_WEIGHT = {SENTENCE: 1.0, ITEM: 1.0, HEADING: 0.3}


class Unit(NamedTuple):
    """One summarisable piece of text: a sentence, a list item or a heading."""

    text: str
    kind: str


def _is_boundary(paragraph: str, match: re.Match) -> bool:
    """Whether a full stop ends a sentence rather than an abbreviation, an initial or a mid-sentence ellipsis."""
    if match.group()[0] not in ".…":
        return True
    word = _LAST_WORD.search(paragraph, max(0, match.start() - 24), match.start())
    stem = word.group().lstrip("([{\"'“‘").lower() if word else ""
    if stem in _NO_SPLIT_AFTER or (len(stem) == 1 and stem.isalpha() and stem.isascii()):
        return False
    following = paragraph[match.end() : match.end() + 2].lstrip()[:1]
    return not (following.isascii() and following.islower())


def _chunk(sentence: str) -> list[str]:
    """Overlong sentences (no punctuation at all) in pieces of at most _MAX_UNIT characters, cut at spaces."""
    pieces = []
    while len(sentence) > _MAX_UNIT:
        cut = sentence.rfind(" ", 0, _MAX_UNIT)
        cut = cut if cut > 0 else _MAX_UNIT
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    return [*pieces, sentence] if sentence else pieces


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one whitespace-normalised paragraph."""
    sentences, start = [], 0
    for match in _BOUNDARY.finditer(paragraph):
        if _is_boundary(paragraph, match):
            sentences.extend(_chunk(paragraph[start : match.end()].strip()))
            start = match.end()
    sentences.extend(_chunk(paragraph[start:].strip()))
    return [s for s in sentences if s]


def _is_heading(line: str, prose: list[str], following: str) -> bool:
    """A lead-in ending in a colon, or a short unpunctuated line that neither continues nor is continued as prose."""
    if line.endswith((":", "：")):
        return True
    if _TERMINAL.search(line) or _KO_END.search(line) or _KO_CONTINUES.search(line) or len(line) >= _HEADING_MAX:
        return False
    return (not prose or bool(_TERMINAL.search(prose[-1]))) and not following[:1].islower()


def _paragraph_units(lines: list[str]) -> list[Unit]:
    return [Unit(s, SENTENCE) for s in split_sentences(" ".join(" ".join(lines).split()))] if lines else []


def _block_units(lines: list[str]) -> list[Unit]:
    """The units of one blank-line-separated block of non-empty lines."""
    units: list[Unit] = []
    prose: list[str] = []
    for index, raw in enumerate(lines):
        line = raw.strip()
        bullet = _BULLET.match(line)
        if units and units[-1].kind == ITEM and not prose and raw[:1] in " \t" and not bullet:
            units[-1] = Unit(f"{units[-1].text} {' '.join(line.split())}", ITEM)  # an indented continuation
        elif bullet or _MD_HEADING.match(line):
            units += _paragraph_units(prose)
            prose = []
            body = _CHECKBOX.sub("", line[bullet.end() :] if bullet else line.lstrip("# ")).strip()
            if body:
                units.append(Unit(" ".join(body.split()), ITEM if bullet else HEADING))
        elif _is_heading(line, prose, lines[index + 1].strip() if index + 1 < len(lines) else ""):
            units += _paragraph_units(prose) + [Unit(" ".join(line.split()), HEADING)]
            prose = []
        else:
            prose.append(line)
            if _KO_END.search(line):
                units += _paragraph_units(prose)
                prose = []
    return units + _paragraph_units(prose)


def split_units(text: str) -> list[Unit]:
    """Sentences, list items (one unit per line item) and headings, in text order."""
    units: list[Unit] = []
    for block in re.split(r"\n[ \t\r\f\v]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        units += _block_units([line for line in block.split("\n") if line.strip()])
    return units


@lru_cache(maxsize=65536)
def _term(token: str) -> str | None:
    """A token folded for counting: Korean particles/endings stripped, crude English plural folding, stop words out."""
    if token.isascii():
        if len(token) < 2 or token in _STOP:
            return None
        return token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token
    stripped = _KO_SUFFIX.match(token)
    term = stripped.group(1) if stripped else token
    return None if term in _STOP or token in _STOP else term


def terms(sentence: str) -> set[str]:
    """The distinct content terms of a sentence."""
    return {t for t in map(_term, _WORD.findall(sentence.lower())) if t}


def dedup_key(text: str) -> str:
    """Case-, space- and punctuation-insensitive identity of a sentence or item."""
    return "".join(_WORD.findall(text.casefold()))


def score_units(units: list[Unit]) -> list[float]:
    """Centrality (shared-term degree in the sentence graph) boosted for obligations, early position and kind."""
    bags = [terms(u.text) for u in units]
    df = Counter(t for bag in bags for t in bag)
    # sum(df-1) over a sentence's terms is its weighted degree in the term-overlap graph: O(words), not O(n^2).
    raw = [sum(df[t] - 1 for t in bag) / math.sqrt(len(bag)) if bag else 0.0 for bag in bags]
    top = max(raw, default=0.0) or 1.0
    count = len(units)
    return [
        (0.5 + raw[i] / top)
        * (2.0 if OBLIGATION.search(unit.text) else 1.0)
        * (0.6 if _DANGLING.match(unit.text) else 1.0)
        * (1.0 + 0.15 * (1 - i / count))
        * _KIND_WEIGHT[unit.kind]
        for i, unit in enumerate(units)
    ]


def pick(units: list[Unit], limit: int) -> list[Unit]:
    """The best-scoring distinct units, about sqrt(len(units)) of them up to `limit`, back in text order."""
    want = max(1, min(limit, int(math.sqrt(len(units)) + 0.5)))
    scores = score_units(units)
    chosen: dict[str, int] = {}
    for i in sorted(range(len(units)), key=lambda i: (-scores[i], i)):
        chosen.setdefault(dedup_key(units[i].text) or units[i].text, i)
        if len(chosen) == want:
            break
    return [units[i] for i in sorted(chosen.values())]


def render(units: list[Unit]) -> str:
    """Units joined back into text: prose with spaces, items (as "- item") and headings on their own lines."""
    parts = []
    for prev, unit in zip([None, *units], units):
        text = f"- {unit.text}" if unit.kind == ITEM else unit.text
        inline = prev and prev.kind == unit.kind == SENTENCE and _TERMINAL.search(prev.text)
        parts.append(text if prev is None else (" " if inline else "\n") + text)
    return "".join(parts)
