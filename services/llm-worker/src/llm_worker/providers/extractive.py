"""Extractive ranking for the offline `local` provider: term-overlap centrality plus obligation cues (stdlib only)."""

import math
import re
from collections import Counter
from functools import lru_cache

from llm_worker.providers.segment import HEADING, ITEM, SENTENCE, Unit, ends_sentence

_WORD = re.compile(r"\w+")
_KO_SUFFIX = re.compile(
    r"^(.+?)(?:하십시오|십시오|하세요|합니다|입니다|습니다|됩니다|하여야|해야|하여|해서|하고|하는|하지|하며|한다|된다|되는|되어"
    r"|에게서|에서는|에서도|으로는|으로서|으로써|에게는|에서|에게|에는|에도|으로|로서|로써|까지|부터|보다|처럼|와의|과의|이나"
    r"|은|는|이|가|을|를|에|로|와|과|의|도|만|한|할|함|다|요)$"
)
_STOP_WORDS = (
    "a an the and or but if then than so of to in on at by for with from into onto as is are was were be been being "
    "it its this that these those there their they them you your we our us he she his her i me my all any each every "
    "not no do does did done can could may might will would must should shall have has had also only such which who "
    "whom whose what when where how why while about above below over under per via etc e g i "
    "및 또는 등 그 이 저 것 수 있 있다 없 경우 위 위해 따라 대한 대해 모든 각 해당 관련 통해 때 중 내 시 반드시 "
    "합니다 한다 해야 하여야 하며 하고 하는 된다 됩니다 있습니다 하지 않"
)
_STOP = frozenset(_STOP_WORDS.split())
_OBLIGATION_EN = re.compile(  # matched against lower-cased text: re.IGNORECASE makes it several times slower
    r"\b(?:must|should|shall|required?|requires|mandatory|never|always|do not|don't|need to|needs to|have to|has to"
    r"|ensure|prohibited|forbidden|not (?:allowed|permitted)|may not|cannot)\b"
)
_OBLIGATION_KO = re.compile(
    r"반드시|해야|하여야|필요|금지|하지\s*마|않아야|안\s*(?:됩니다|된다|됨)|수\s*없(?:습니다|다|음)|십시오|하세요|의무|준수|할\s*것"
)
_IMPERATIVE_WORDS = (
    "wear keep report use check sign follow ensure store lock wash clean inspect notify contact submit complete return "
    "read review verify avoid label dispose turn switch close remove log record update change back encrypt protect "
    "attend register obtain confirm call stop evacuate display carry put take make hold secure limit restrict shred "
    "delete escort challenge apply install test inform seek replace disconnect unplug maintain document do never "
    "always don't leave ask share send collect wipe mark place tell"
)
_IMPERATIVES = frozenset(_IMPERATIVE_WORDS.split())
_FIRST_WORD = re.compile(r"[\"'(\u201c]*([a-z']+)")
# A sentence opening on a pronoun leans on the one before it and reads badly out of context.
_DANGLING = re.compile(r"(?:they|it|he|she|these|those|them)\b|(?:이는|그는|그녀는|이것은|그것은|이들은|그들은)\s")
_KIND_WEIGHT = {SENTENCE: 1.0, ITEM: 1.0, HEADING: 0.3}


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


def dedup_key(text: str) -> str:
    """Case-, space- and punctuation-insensitive identity of a sentence or item."""
    return "".join(_WORD.findall(text.casefold()))


def _obliges(text: str, lowered: str) -> bool:
    """has_obligation() with the lower-cased text already at hand."""
    if _OBLIGATION_KO.search(text) or _OBLIGATION_EN.search(lowered):
        return True
    first = _FIRST_WORD.match(lowered)
    return bool(first) and first.group(1) in _IMPERATIVES


def has_obligation(text: str) -> bool:
    """Whether a sentence states an obligation or a prohibition or opens with an imperative (English or Korean)."""
    return _obliges(text, text.lower())


def score_units(units: list[Unit]) -> list[float]:
    """Centrality (shared-term degree in the sentence graph) boosted for obligations, early position and kind."""
    lowered = [unit.text.lower() for unit in units]
    bags = [{t for t in map(_term, _WORD.findall(text)) if t} for text in lowered]
    df = Counter(t for bag in bags for t in bag)
    # sum(df-1) over a sentence's terms is its weighted degree in the term-overlap graph: O(words), not O(n^2).
    raw = [sum(df[t] - 1 for t in bag) / math.sqrt(len(bag)) if bag else 0.0 for bag in bags]
    top = max(raw, default=0.0) or 1.0
    count = len(units)
    return [
        (0.5 + raw[i] / top)
        * (2.0 if _obliges(unit.text, lowered[i]) else 1.0)
        * (0.6 if _DANGLING.match(lowered[i]) else 1.0)
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
    for prev, unit in zip([None, *units], units, strict=False):
        text = f"- {unit.text}" if unit.kind == ITEM else unit.text
        inline = prev and prev.kind == unit.kind == SENTENCE and ends_sentence(prev.text)
        parts.append(text if prev is None else (" " if inline else "\n") + text)
    return "".join(parts)
