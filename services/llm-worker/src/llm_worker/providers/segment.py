"""Text segmentation for the offline `local` provider: sentences, list items and headings (stdlib only)."""

import re
from typing import NamedTuple

SENTENCE, ITEM, HEADING, ROW = "sentence", "item", "heading", "row"

_BULLET = re.compile(
    r"(?:[-*+•·▪‣◦●○■□►▶➤✓✔※]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[가나다라마바사아자차카타파하][.)])\s+|[①-⑳]\s*"
)
_NUMBERED = re.compile(r"\(?\d{1,3}[.)]\s")
_MD_HEADING = re.compile(r"#{1,6}\s")
_TABLE_ROW = re.compile(r"\|.*\|$")
_CHECKBOX = re.compile(r"\[[ xX✓]?\]\s*")
_TERMINAL = re.compile(r"[.!?…。\uff01\uff1f][\"'\u201d\u2019)\]]*$")
# Korean sentences often end a line without a period; a line ending like this is a sentence, not a heading.
_KO_END = re.compile(r"\s\S*[다요까죠음함임것][\"'\u201d\u2019)\]]*$")
# A line ending in a topic/object particle or a connective is a wrapped sentence, not a heading.
_KO_CONTINUES = re.compile(r"[가-힣](?:은|는|을|를|에서|에게|으로|이며|하고|하며|하여|및)$")
_PUNCT_RUN = re.compile(r"[.!?…。\uff01\uff1f]+[\"'\u201d\u2019)\]]*")
_CJK_STOPS = frozenset("。\uff01\uff1f")
_LAST_WORD = re.compile(r"\S+$")
_NO_SPLIT_AFTER_WORDS = "e.g i.e dr mr mrs ms prof st vs cf fig no approx jr sr"
_NO_SPLIT_AFTER = frozenset(_NO_SPLIT_AFTER_WORDS.split())
_UNIT_AFTER_NUMBER = re.compile(r"\d\s?$")
_MAX_UNIT = 400
_HEADING_MAX = 60


class Unit(NamedTuple):
    """One summarisable piece of text: a sentence, a list item or a heading."""

    text: str
    kind: str


def _is_boundary(paragraph: str, match: re.Match) -> bool:
    """Whether a punctuation run ends a sentence rather than an abbreviation, an initial, a decimal or an ellipsis."""
    run, end = match.group(), match.end()
    after = paragraph[end : end + 1]
    if not _CJK_STOPS.isdisjoint(run):
        return True
    if after and not after.isspace():  # "3.5", "e.g" -- but Korean is sometimes written "합니다.다음"
        before = paragraph[match.start() - 1 : match.start()]
        return run == "." and hangul_final(before) >= 0 and hangul_final(after) >= 0
    if run[0] in "!?":
        return True
    word = _LAST_WORD.search(paragraph, max(0, match.start() - 24), match.start())
    stem = word.group().lstrip("([{\"'\u201c\u2018").lower() if word else ""
    if stem in _NO_SPLIT_AFTER:
        return False
    if len(stem) == 1 and stem.isalpha() and stem.isascii() and not _after_number(paragraph, word.start()):
        return False  # an initial ("J. Smith", "C. difficile"), not a unit after a number ("below 5 C. Clean")
    following = paragraph[end + 1 : end + 2]
    before = paragraph[match.start() - 1 : match.start()]
    return hangul_final(before) >= 0 or not (following.isascii() and following.islower())  # "취급한다. fume hood"


def _after_number(paragraph: str, start: int) -> bool:
    """Whether the word at `start` follows a number, as a unit does ("5 C", "2 g")."""
    return bool(_UNIT_AFTER_NUMBER.search(paragraph, max(0, start - 2), start))


def hangul_final(char: str) -> int:
    """The final-consonant index of a Hangul syllable (0 for none), -1 for anything else."""
    return (ord(char) - 0xAC00) % 28 if len(char) == 1 and "가" <= char <= "힣" else -1


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
    for match in _PUNCT_RUN.finditer(paragraph):
        if _is_boundary(paragraph, match):
            sentences.extend(_chunk(paragraph[start : match.end()].strip()))
            start = match.end()
    sentences.extend(_chunk(paragraph[start:].strip()))
    return [s for s in sentences if s]


def _is_heading(line: str, prose: list[str], following: str) -> bool:
    """A short lead-in ending in a colon, or a short unpunctuated line that neither continues nor is continued."""
    if line.endswith((":", "\uff1a")):
        return len(line) < _HEADING_MAX and not split_sentences(line)[:-1]
    if _TERMINAL.search(line) or _KO_END.search(line) or _KO_CONTINUES.search(line) or len(line) >= _HEADING_MAX:
        return False
    return (not prose or bool(_TERMINAL.search(prose[-1]))) and not following[:1].islower()


def _bullet_kind(line: str, body: str, following: str, previous: str) -> str:
    """ITEM, except that a short title ("2. Rules", "■ 투약 전 확인") over prose or another list is a HEADING."""
    if not following or _TERMINAL.search(body) or _KO_END.search(body) or len(body.split()) > 8:
        return ITEM
    if _NUMBERED.match(line):
        return ITEM if _NUMBERED.match(following) or _NUMBERED.match(previous) else HEADING
    return HEADING if not _BULLET.match(following) and not _BULLET.match(previous) else ITEM


def _paragraph_units(lines: list[str]) -> list[Unit]:
    """The sentences of a paragraph given as its (possibly wrapped) lines."""
    return [Unit(s, SENTENCE) for s in split_sentences(" ".join(" ".join(lines).split()))] if lines else []


def _block_units(lines: list[str]) -> list[Unit]:
    """The units of one blank-line-separated block of non-empty lines."""
    units: list[Unit] = []
    prose: list[str] = []
    for index, raw in enumerate(lines):
        line = raw.strip()
        bullet = _BULLET.match(line)
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        previous = lines[index - 1].strip() if index else ""
        if _TABLE_ROW.match(line):
            units += [*_paragraph_units(prose), Unit(" ".join(line.split()), ROW)]
            prose = []
        elif units and units[-1].kind == ITEM and not prose and raw[:1] in " \t" and not bullet:
            units[-1] = Unit(f"{units[-1].text} {' '.join(line.split())}", ITEM)  # an indented continuation
        elif bullet or _MD_HEADING.match(line):
            units += _paragraph_units(prose)
            prose = []
            body = _CHECKBOX.sub("", line[bullet.end() :] if bullet else line.lstrip("# ")).strip()
            if body:
                kind = _bullet_kind(line, body, following, previous) if bullet else HEADING
                units.append(Unit(" ".join(body.split()), kind))
        elif _is_heading(line, prose, following):
            units += [*_paragraph_units(prose), Unit(" ".join(line.split()), HEADING)]
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


def ends_sentence(text: str) -> bool:
    """Whether a unit ends with sentence punctuation (so the next sentence may follow on the same line)."""
    return bool(_TERMINAL.search(text))
