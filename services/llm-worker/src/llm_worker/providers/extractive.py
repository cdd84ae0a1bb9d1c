"""Extractive ranking for the offline `local` provider: term-overlap centrality plus action, number and lead cues."""

import math
import re
from collections import Counter
from functools import lru_cache
from itertools import groupby

from llm_worker.providers.compress import clauses, compress
from llm_worker.providers.segment import HEADING, ITEM, ROW, SENTENCE, Unit, ends_sentence

SUMMARY_SHARE = 0.46  # of the text's words, counted on the shortened sentences

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
_DANGLING = re.compile(r"(?:they|it|he|she|these|those|them)\b|(?:이는|그는|그녀는|이것은|그것은|이들은|그들은)\s")
_DIGIT = re.compile(r"\d")
_AMOUNT = re.compile(r"(?<![A-Za-z])\d")
# A year dates a sentence ("approved in 2022") rather than setting a limit: it does not make a sentence a rule's.
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)(?:년)?")
# Words writers use to stress a point: a rule said "immediately", "never" or "반드시" is one they want kept.
_STRESS = re.compile(
    r"\b(?:immediately|at once|straight away|never|always|only|death|fatal|serious|severe|critical|emergency)\b"
    r"|즉시|반드시|절대|사망|치명|심각|응급|지체\s*없이"
)
_DEADLINE = re.compile(
    r"\b(?:within|at least|no later than|before|by|every|at most|up to|or (?:more|less|above|below))\b"
    r"|이내|까지|이상|이하|마다|미만|초과"
)
_SCOPE = re.compile(
    r"(?:this|these) (?:policy|guideline|guidance|document|procedure|standard|manual|guide)\b|(?:이|본) \S+[은는] "
)
# Hangul syllables ending in ㅆ: before a final 다 they mark the past (했다, 나타났습니다) or what there is or may be
# (있습니다, 할 수 있다).
_SSANG_FINAL = "".join(chr(0xAC00 + 28 * lead_vowel + 20) for lead_vowel in range(399))
# What happened (statistics, history), what there is or may be, how records are kept: context a reader can do without.
_CONTEXT = re.compile(
    rf"[{_SSANG_FINAL}](?:다|습니다)[.!]?$|\b(?:was|were|had been|has been|have been)\b"
    r"|(?:기록|결과|내용|서류|대장)\S*\s.*(?:보존|보관)|\b(?:records?|logs?)\b.*\b(?:kept|keep|retain)"
)
_NOTE = re.compile(r"(?:note|nb|tip|참고|※)")
# An obligation or a prohibition in its own words is a rule for the summary, even where the checklist's stricter
# test finds no item in it ("... 올리는 것은 금지됩니다", "Alcohol is not reimbursed", "...하여서는 아니 된다").
_RULE = re.compile(
    r"\b(?:must|never|do not|don't|not (?:permitted|allowed|reimbursed|accepted)|prohibited|forbidden"
    r"|(?<!not )required to)\b"
    r"|금지|해야|하여야|하지 (?:않|말)|마십시오|마세요|안 됩니다|안 된다"
    r"|아니\s?된다|서는 안|수 없|지 않(?:는다|습니다|음)"
)
# A limit named with its number is a rule stated as a fact ("센터 내 제한 속도는 시속 10km입니다", "the speed limit is
# 10 km/h"); a cap on what one may do ("최대 4시간 동안 사용할 수 있습니다") is not.
_LIMIT = re.compile(r"\blimits?\b|제한|한도|상한")
# A sentence that repeats the one before it in the text's other language is said once: its weight in the summary.
TRANSLATION_WEIGHT = 0.15
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_KIND_WEIGHT = {SENTENCE: 1.0, ITEM: 1.0, HEADING: 0.3, ROW: 0.2}


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


def _leans(text: str) -> bool:
    """Whether a sentence reads badly out of context: one opening on a pronoun leans on the sentence before it, one
    ending on a colon ("If you are injured by a needle:") on the list after it."""
    return bool(_DANGLING.match(text)) or text.endswith(":")


def dedup_key(text: str) -> str:
    """Case-, space- and punctuation-insensitive identity of a sentence or item."""
    return "".join(_WORD.findall(text.casefold()))


def _bags(units: list[Unit]) -> tuple[list[str], list[set[str]]]:
    lowered = [unit.text.lower() for unit in units]
    return lowered, [{t for t in map(_term, _WORD.findall(text)) if t} for text in lowered]


def _lead(units: list[Unit], lowered: list[str]) -> int:
    """The first sentence that says something about the subject (not the document's scope, not a pronoun's)."""
    for i, unit in enumerate(units):
        if unit.kind == SENTENCE and not _SCOPE.match(lowered[i]) and not _leans(lowered[i]):
            return i
    return -1


def score_units(units: list[Unit], acting: set[int], lowered: list[str], bags: list[set[str]]) -> list[float]:
    """Centrality (shared-term degree in the sentence graph) boosted for actions, numbers, the lead and kind (a table
    row with a number weighs as a sentence: it states a limit, "| Hotel, London, per night | £180 |")."""
    df = Counter(t for bag in bags for t in bag)
    # sum(df-1) over a sentence's terms is its weighted degree in the term-overlap graph: O(words), not O(n^2).
    raw = [sum(df[t] - 1 for t in bag) / math.sqrt(len(bag)) if bag else 0.0 for bag in bags]
    top = max(raw, default=0.0) or 1.0
    count, lead = len(units), _lead(units, lowered)
    digits = [bool(_DIGIT.search(text)) and bool(_DIGIT.search(_YEAR.sub("", text))) for text in lowered]
    return [
        (0.5 + raw[i] / top)
        * (2.0 if i in acting else 1.0)
        * (2.5 if digits[i] else 0.4 if len(unit.text.split()) < 3 else 1.0)
        * (1.5 if _DEADLINE.search(lowered[i]) else 1.0)
        * (1.5 if _STRESS.search(lowered[i]) else 1.0)
        * (1.5 if i == lead else 1.0)
        * (0.6 if _leans(lowered[i]) else 1.0)
        * (0.5 if _NOTE.match(lowered[i]) else 1.0)
        * (0.5 if _CONTEXT.search(lowered[i]) else 1.0)
        * (1.0 + 0.15 * (1 - i / count))
        * (1.0 if _limit_row(unit) else _KIND_WEIGHT[unit.kind])
        for i, unit in enumerate(units)
    ]


def _parts(unit: Unit) -> list[str]:
    return clauses(unit.text) if unit.kind in (SENTENCE, ITEM) else [unit.text]


def _language(unit: Unit) -> str:
    if unit.kind not in (SENTENCE, ITEM):
        return ""
    return "ko" if _HANGUL.search(unit.text) else "en" if _LATIN.search(unit.text) else ""


def translations(units: list[Unit], window: int = 4) -> dict[int, int]:
    """The sentences of a bilingual text that repeat one of the few before them in the text's other language, each
    with the index of the one it repeats: in the language fewer sentences are in (on a tie, not the first sentence's),
    sharing a number or a Latin-script word with it and adding none ("25kg이 넘는 물건은 ..." then "Objects over
    25 kg must ..."); in a text that has such a pair, also each sentence of a run that repeats the run before it
    sentence for sentence, with the same numbers and the same force ("... 손을 넣지 마십시오." then "Never put ...")."""
    languages = [_language(unit) for unit in units]
    korean, english = languages.count("ko"), languages.count("en")
    if min(korean, english) < 2:
        return {}
    first = next(language for language in languages if language)
    minority = "en" if english < korean or (english == korean and first == "ko") else "ko"
    numbers = [set(_NUMBER.findall(unit.text)) for unit in units]
    words = [{word.lower() for word in _LATIN_WORD.findall(unit.text)} for unit in units]
    found = {}
    for i in (i for i, language in enumerate(languages) if language == minority):
        for j in range(i - 1, max(-1, i - 1 - window), -1):
            original = languages[j] and languages[j] != minority
            if original and (numbers[i] | words[j]) and numbers[i] <= numbers[j] and words[j] <= words[i]:
                found[i] = j
                break
    if found:  # a text shown to repeat itself: sentences in runs it repeats run for run are translations too
        rules = [bool(_RULE.search(unit.text.lower())) for unit in units]
        for i, j in _paired_runs(languages):
            i, j = (i, j) if languages[i] == minority else (j, i)
            if numbers[i] == numbers[j] and rules[i] == rules[j]:
                found.setdefault(i, j)
    return found


def _paired_runs(languages: list[str]) -> list[tuple[int, int]]:
    """Pairs of sentences in two languages when every run of sentences in one language is followed by a run as long in
    the other (two Korean, the same two in English, then one and one, ...): a notice translated block by block."""
    indices = [i for i, language in enumerate(languages) if language]
    runs = [list(run) for _, run in groupby(indices, key=languages.__getitem__)]
    if len(runs) < 4 or len(runs) % 2 or any(len(runs[k]) != len(runs[k + 1]) for k in range(0, len(runs), 2)):
        return []
    return [pair for k in range(0, len(runs), 2) for pair in zip(runs[k + 1], runs[k], strict=True)]


def _binds(unit: Unit, lowered: str) -> bool:
    """Whether a unit states a rule in its own words: an obligation or a prohibition, a table row with an amount or a
    limit named with its number."""
    return bool(_RULE.search(lowered)) or _limit_row(unit) or _stated_limit(lowered)


def _stated_limit(lowered: str) -> bool:
    """A limit named with its number ("제한 속도는 시속 10km입니다"): how a rule reads when stated as a fact."""
    return bool(_LIMIT.search(lowered)) and _has_amount(lowered)


def _limit_row(unit: Unit) -> bool:
    """A table row with an amount: a limit the text sets in table form, which binds as a rule's sentence does (a
    label's digit, "| P1 | Critical ... |", is no amount)."""
    return unit.kind == ROW and _has_amount(unit.text)


def _has_amount(text: str) -> bool:
    """Whether the text holds an amount: a number that is not a year nor glued to a Latin letter (a label: "P1")."""
    return bool(_AMOUNT.search(_YEAR.sub("", text)))


def pick(units: list[Unit], limit: int, acting: set[int], share: float = SUMMARY_SHARE) -> list[Unit]:
    """The best units (`acting`: those that ask for an action) that fit in `share` of the text's words (at least about
    sqrt(len(units)) of them, at most `limit`), in text order; each pick is weighed by the terms it adds."""
    repeated = translations(units)
    parts = [(i, Unit(compress(part), unit.kind)) for i, unit in enumerate(units) for part in _parts(unit)]
    units = [unit for _, unit in parts]
    lowered, bags = _bags(units)
    acting = {j for j, (i, _) in enumerate(parts) if i in acting or _binds(units[j], lowered[j])}
    scores = score_units(units, acting, lowered, bags)
    for j in (j for j, (i, _) in enumerate(parts) if i in repeated):
        scores[j] *= TRANSLATION_WEIGHT
    source = [i for i, _ in parts]
    sizes = [len(unit.text.split()) for unit in units]
    budget = share * sum(sizes)
    least = max(1, min(limit, int(math.sqrt(len(units)) + 0.5)))
    order = sorted(range(len(units)), key=lambda i: (-scores[i], i))
    only_headings = all(unit.kind == HEADING for unit in units)
    chosen: dict[str, int] = {}
    covered: set[str] = set()
    picked_sources: set[int] = set()
    words = 0
    while len(chosen) < limit:
        best, gain = -1, 0.0
        for i in order:
            if scores[i] <= gain:
                break  # sorted by score: no later unit can gain more
            key = dedup_key(units[i].text) or units[i].text
            if key in chosen or (units[i].kind == HEADING and not only_headings):
                continue
            if repeated.get(source[i], -1) in picked_sources:
                continue  # its original is in the summary already
            if len(chosen) >= least and words + sizes[i] > budget:
                continue  # past the minimum, only what still fits in the budget
            value = scores[i] * (len(bags[i] - covered) / len(bags[i]) if bags[i] else 0.5)
            if value > gain:
                best, gain = i, value
        if best < 0:
            break
        chosen[dedup_key(units[best].text) or units[best].text] = best
        covered |= bags[best]
        picked_sources.add(source[best])
        words += sizes[best]
    return [units[i] for i in sorted(chosen.values())]


def render(units: list[Unit]) -> str:
    """Units joined back into text: prose with spaces, items (as "- item") and headings on their own lines."""
    parts = []
    for prev, unit in zip([None, *units], units, strict=False):
        text = f"- {unit.text}" if unit.kind == ITEM else unit.text
        inline = prev and prev.kind == unit.kind == SENTENCE and ends_sentence(prev.text)
        parts.append(text if prev is None else (" " if inline else "\n") + text)
    return "".join(parts)
