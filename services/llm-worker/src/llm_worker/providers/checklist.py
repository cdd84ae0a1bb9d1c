"""Checklist items for the offline `local` provider: every actionable clause of the text, in the text's order.

The whole text is read, so nothing the summary left out is lost; the summary decides what stays when there are
more items than the cap, and stands in for the text when the text asks for nothing. A clause is actionable when
it asks someone to do or not to do something (english.is_action, korean.clause_kind), or is a list item under
an instruction ("Clean your hands:" then "- before touching a patient"). Purpose, scope, background,
definitions and notes, tables and lead-ins ending in a colon are never items. Items keep the clause's wording,
numbers and deadlines; obligations become imperatives in English ("Visitors must sign in." -> "Sign in") and
the 개조식 forms in Korean ("패용하십시오" -> "패용하기", "패용해야 합니다" -> "패용해야 함").
"""

import re

from llm_worker.providers import english, korean
from llm_worker.providers.clauses import clauses, parts
from llm_worker.providers.extractive import dedup_key
from llm_worker.providers.items import to_item
from llm_worker.providers.segment import HEADING, ITEM, ROW, Unit, hangul_final, split_sentences, split_units

_BACKGROUND = re.compile(
    r"(?:제\s*\d+\s*조\s*)?[(\[]?(?:\d+(?:\.\d+)*[.)]?\s*)?(?:purpose|scope|background|introduction|overview|definitions?"
    r"|glossary|roles(?: and responsibilities)?|related (?:documents|policies)|references|notes?|faq|about this"
    r"|목적|적용\s*범위|배경|개요|정의|용어|참고|관련\s*(?:문서|규정)|부칙)\b",
    re.I,
)
_LABEL = re.compile(
    r"(?:purpose|scope|owner|audience|applies to|대상|목적|적용\s*범위|작성자?|담당|문의)\s*[:\uff1a]", re.I
)
_ARTICLE = re.compile(r"제\s*\d+\s*조\s*\(([^)]{1,20})\)\s*")
_NOTE = re.compile(r"(?:note|nb|tip|faq|참고|주의사항|※)\s*[:\uff1a.]?|\*\s|※", re.I)
_SCOPE = re.compile(
    r"(?:this|these) (?:policy|guideline|guidelines|guidance|document|procedure|standard|manual|guide|bundle)\b"
    r"|(?:이|본) (?:지침|규정|정책|문서|절차|기준|가이드|번들|매뉴얼)[은는이]",
    re.I,
)
# A pointer to more reading and a lead-in to what follows are not things to do.
_POINTER = re.compile(
    r"참고하(?:세요|십시오|시기|기)|참조하(?:세요|십시오|시기|기)|^see\b|^for (?:more|further) (?:information|details)"
    r"|\b(?:is|are) available\b|can be found",
    re.I,
)
_LEAD_IN = re.compile(
    r"다음\s*(?:사항|과\s*같|\S+\s*가지)|아래\s*(?:사항|일정|내용|기준)|the following|as follows"
    r"|\b(?:listed|shown|set out|given|described|criteria|steps|table|rules|list) below\b",
    re.I,
)
_DIGIT = re.compile(r"\d")
_TRAIL = re.compile(r"[\s.!?…。\uff01\uff1f;:,\uff0c、\"'\u201d\u2019]+$")


def _is_korean(clause: str) -> bool:
    """Whether a clause ends in Hangul (its predicate, and so its grammar, is Korean)."""
    text = _TRAIL.sub("", clause).rstrip(")]")
    return bool(text) and hangul_final(text[-1]) >= 0


def _asks(clause: str) -> bool | None:
    """True if a clause asks for an action, False if it describes, None if it is a fragment with no predicate."""
    if _is_korean(clause):
        kind = korean.clause_kind(_TRAIL.sub("", clause))
        return None if kind == korean.NOMINAL else kind in korean.ACTIONS
    return True if english.is_action(clause) else None if len(clause.split()) <= 8 else False


def _in_intro(clause: str, strict: bool) -> bool:
    """Whether an opening paragraph's clause is still an item: an instruction, or (unless `strict`) an obligation.
    A plain statement there ("수술 후 통증은 합병증을 늘린다") describes the subject instead."""
    if _is_korean(clause):
        kind = korean.clause_kind(_TRAIL.sub("", clause))
        return kind == korean.IMPERATIVE or (not strict and kind == korean.OBLIGATION)
    return english.is_imperative(clause) or (not strict and english.is_obligation(clause))


def _intro(units: list[Unit]) -> tuple[int, bool]:
    """How many units open a structured text (after its title, before its first heading or list) and whether only
    instructions count there (a text of several sections, whose opening paragraph is its background)."""
    if not units or units[0].kind != HEADING:
        return 0, False
    end = next((i for i in range(1, len(units)) if units[i].kind in (HEADING, ITEM)), 0)
    return end, sum(u.kind == HEADING for u in units) >= 3


def _sentence_actions(sentence: str, in_list: bool, lead_asks: bool | None) -> list[str]:
    """The actionable clauses of one sentence; actionable parts between semicolons are joined again."""
    found: list[list[str]] = []
    joinable = False
    for part in parts(sentence):
        acting = []
        for clause in clauses(part):
            asks = _asks(clause)
            if asks or (asks is None and in_list and lead_asks):
                acting.append(clause)
        if joinable and len(acting) == 1 and len(found[-1]) == 1:
            found[-1] = [f"{found[-1][0].rstrip('.')}; {acting[0]}"]
        elif acting:
            found.append(acting)
        joinable = len(acting) == 1
    return [clause for group in found for clause in group]


def _skipped(text: str) -> bool:
    return bool(_NOTE.match(text) or _SCOPE.match(text) or _LABEL.match(text) or _POINTER.search(text))


def actionable(units: list[Unit]) -> list[tuple[int, str]]:
    """(unit index, clause) of every actionable clause, in text order."""
    found = []
    intro_end, strict = _intro(units)
    background, lead_asks = False, None
    for index, unit in enumerate(units):
        text = unit.text
        if unit.kind == ROW:
            continue
        if unit.kind == HEADING:
            background = bool(_BACKGROUND.match(text))
            lead_asks = bool(_asks(text[:-1])) if text.endswith((":", "\uff1a")) else None
            continue
        article = _ARTICLE.match(text)
        if article:
            background, text = bool(_BACKGROUND.match(article.group(1))), text[article.end() :]
        if background or _skipped(text):
            continue
        if unit.kind != ITEM and (text.endswith((":", "\uff1a")) or _LEAD_IN.search(text)):
            lead_asks = bool(_asks(_TRAIL.sub("", text)))
            if not (text.endswith(":") and _DIGIT.search(text) and _asks(text[:-1])):
                continue  # a lead-in is an item itself only when it carries a number ("within 1 hour:")
        in_list = unit.kind == ITEM
        for sentence in split_sentences(text) if in_list else [text]:
            for clause in _sentence_actions(
                sentence, in_list, lead_asks if lead_asks is not None else _is_korean(sentence)
            ):
                if index >= intro_end or _in_intro(clause, strict):
                    found.append((index, clause))
        if not in_list and not _LEAD_IN.search(text):
            lead_asks = None
    return found


def _capped(items: list[tuple[str, str]], summary: str, max_items: int) -> list[str]:
    """At most `max_items` items, those whose sentence the summary kept first, back in text order."""
    if len(items) <= max_items:
        return [item for item, _ in items]
    ranked = sorted(range(len(items)), key=lambda i: (items[i][1] not in summary, i))[:max_items]
    return [items[i][0] for i in sorted(ranked)]


def build_checklist(units: list[Unit], acting: list[tuple[int, str]], summary: str, max_items: int) -> list[str]:
    """Up to `max_items` distinct items from the text's actionable clauses (`acting`, from actionable(units)), or
    from the summary's clauses if none acts."""
    found = [(clause, units[i].text) for i, clause in acting]
    if not found:
        found = [(clause, unit.text) for unit in split_units(summary) for clause in clauses(unit.text)]
    items: dict[str, tuple[str, str]] = {}
    for clause, sentence in found:
        item = to_item(clause)
        key = dedup_key(item)
        if key and key not in items:
            items[key] = (item, sentence)
    return _capped(list(items.values()), summary, max_items) or [summary.strip()]
