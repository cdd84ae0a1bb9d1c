"""Checklist items from a summary for the offline `local` provider: actionable clauses rewritten as short items.

English obligations become imperatives ("Visitors must sign in." -> "Sign in", "You must not run." -> "Do not run");
when the subject is long, relative or the verb passive, the sentence is kept as it is, minus the final period.
Korean items use the 개조식 style of Korean checklists: imperatives become -기 ("패용하십시오" -> "패용하기",
"반출하지 마십시오" -> "반출하지 않기") and declaratives the nominal -(으)ㅁ ending ("패용해야 합니다" -> "패용해야 함",
"금지된다" -> "금지됨", "있습니다" -> "있음"), which keeps the subject and works for any verb.
"""

import re

from llm_worker.providers.extractive import dedup_key, has_obligation
from llm_worker.providers.segment import ITEM, Unit, hangul_final, split_units

_CLAUSE_SPLIT = re.compile(
    r"\s*[;\uff1b]\s*|,?\s+and\s+(?=(?:must|should|never|always|do not|don't)\b)|(?<=며),\s*|(?<=하고),\s*", re.I
)
_TRAIL = re.compile(r"[\s.!?…。\uff01\uff1f;:,\uff0c、]+$")
_LEAD = re.compile(r"^(?:[-*+•·▪‣◦●○■□►▶➤✓✔※]\s*|\(?\d{1,3}[.)]\s+|\[[ xX✓]?\]\s*)+")
# "This policy applies to ..." / "이 지침은 ..." describe the document, not something to do.
_SCOPE = re.compile(
    r"this (?:policy|guideline|guidance|document|procedure|standard|manual)\b"
    r"|(?:이|본) (?:지침|규정|정책|문서|절차)[은는]",
    re.I,
)
_ACTION = re.compile(r"\bplease\b|바랍니다|할\s*것|하기$", re.I)
_EN_MODAL = re.compile(
    r"(?P<pre>(?:if|when|whenever|before|after|while|during|once|upon|unless|in|at|on|for)\b[^,]{0,80},\s+)?"
    r"(?:(?P<subj>[A-Za-z][\w'\u2019-]*(?:\s+[\w'\u2019-]+){0,4}?)\s+)?"
    r"(?P<modal>must not|mustn't|should not|shouldn't|shall not|may not|cannot|can not|must never|should never"
    r"|must always|should always|must|should|shall|needs? to|ha(?:ve|s) to|(?:are|is) (?:required|expected|asked) to"
    r"|(?:are|is) not (?:allowed|permitted) to)\s+(?:also\s+)?(?P<rest>.+)$",
    re.I,
)
_MODAL_START = re.compile(r"(?:must|should|shall)\b", re.I)
_BAD_SUBJECT_WORDS = "who that which whose whom where when if it this these those there what one"
_BAD_SUBJECT = frozenset(_BAD_SUBJECT_WORDS.split())
_IT_IS_REQUIRED = re.compile(
    r"^it is (?:mandatory|required|essential|necessary|important|vital|critical) (?:to|that you)\s+", re.I
)
_EN_REWRITES = (
    (re.compile(r"^please\s+", re.I), ""),
    (_IT_IS_REQUIRED, ""),
    (re.compile(r"^it is (?:strictly )?(?:forbidden|prohibited|not (?:allowed|permitted)) to\s+", re.I), "do not "),
)
_KO_IMPERATIVES = (
    (re.compile(r"지\s*마(?:십시오|세요|시오|시기\s*바랍니다|라)$"), "지 않기"),
    (re.compile(r"(?:해|하여)\s*주(?:십시오|세요|시오|시기\s*바랍니다)$"), "하기"),
    (re.compile(r"\s*주(?:십시오|세요|시오|시기\s*바랍니다)$"), " 주기"),
    (re.compile(r"으?(?:십시오|세요|시오|시기\s*바랍니다)$"), "기"),
)
_KO_YO = {"해요": "함", "돼요": "됨", "되어요": "됨", "있어요": "있음", "없어요": "없음", "이에요": "임", "예요": "임"}
_FINAL_N, _FINAL_M, _FINAL_B = 4, 16, 17


def _with_final(syllable: str, final: int) -> str:
    code = ord(syllable) - 0xAC00
    return chr(0xAC00 + code - code % 28 + final)


def _nominalise(text: str) -> str:
    """A Korean declarative clause in the nominal -(으)ㅁ form: 합니다 -> 함, 한다 -> 함, 있습니다 -> 있음."""
    for ending, nominal in _KO_YO.items():
        if text.endswith(ending):
            return text[: -len(ending)] + nominal
    for ending in ("습니다", "는다", "으며"):
        if text.endswith(ending) and len(text) > len(ending):
            return text[: -len(ending)] + "음"
    if text.endswith("니다") and len(text) > 2 and hangul_final(text[-3]) == _FINAL_B:
        return text[:-3] + _with_final(text[-3], _FINAL_M)
    if text.endswith(("하고", "되고")):
        return text[:-2] + ("함" if text[-2] == "하" else "됨")
    if text.endswith(("다", "며")) and len(text) > 1 and hangul_final(text[-2]) >= 0:
        before = hangul_final(text[-2])
        if before in (0, _FINAL_N) or text[-1] == "며":
            return text[:-2] + _with_final(text[-2], _FINAL_M)
        return text[:-1] + "음"
    return text


def korean_item(text: str) -> str:
    """A Korean clause as a checklist item: imperatives as -기, declaratives as -(으)ㅁ."""
    for pattern, replacement in _KO_IMPERATIVES:
        if pattern.search(text):
            return pattern.sub(replacement, text)
    return _nominalise(text)


def english_item(text: str) -> str:
    """An English clause as an imperative when it is a plain obligation; otherwise unchanged."""
    for pattern, replacement in _EN_REWRITES:
        text = pattern.sub(replacement, text)
    match = _EN_MODAL.match(text)
    if not match:
        return text
    subj, modal, rest = match.group("subj") or "", match.group("modal").lower(), match.group("rest")
    if {w.lower() for w in subj.split()} & _BAD_SUBJECT or re.match(r"(?:not\s+)?be(?:en)?\b", rest, re.I):
        return text
    if subj and subj.lower() not in ("you", "we"):
        rest = re.sub(r"\btheir\b", "your", re.sub(r"\bthemselves\b", "yourselves", rest))
    negative = "not" in modal or "n't" in modal or modal == "cannot"
    prefix = "do not " if negative else "never " if "never" in modal else "always " if "always" in modal else ""
    return (match.group("pre") or "") + prefix + rest


def to_item(clause: str) -> str:
    """One clause as a checklist item: no bullet, no final punctuation, obligations in imperative form."""
    text = _TRAIL.sub("", _LEAD.sub("", clause.strip())).strip()
    text = korean_item(text) if text and hangul_final(text[-1]) >= 0 else english_item(text)
    return text[:1].upper() + text[1:] if text[:1].isascii() else text


def _is_action(unit: Unit, clause: str) -> bool:
    """Whether a clause asks the reader to do something (a list item, an obligation or an imperative)."""
    if clause.endswith((":", "\uff1a")):
        return False
    if _SCOPE.match(clause):
        return False
    return unit.kind == ITEM or has_obligation(clause) or bool(_ACTION.search(_TRAIL.sub("", clause)))


def _clauses(text: str) -> list[str]:
    """A sentence's clauses; a clause split off at "and must ..." inherits the sentence's subject."""
    parts = [part.strip() for part in _CLAUSE_SPLIT.split(text) if part and part.strip()]
    head = _EN_MODAL.match(parts[0]) if parts else None
    subject = head.group("subj") if head else None
    if not subject:
        return parts
    return parts[:1] + [f"{subject} {part}" if _MODAL_START.match(part) else part for part in parts[1:]]


def build_checklist(summary: str, max_items: int) -> list[str]:
    """Up to `max_items` distinct items from the summary's actionable clauses (from all of them if none acts)."""
    clauses = [(unit, clause) for unit in split_units(summary) for clause in _clauses(unit.text)]
    chosen = [c for u, c in clauses if _is_action(u, c)] or [c for _, c in clauses]
    items: dict[str, str] = {}
    for clause in chosen:
        item = to_item(clause)
        key = dedup_key(item)
        if key and key not in items:
            items[key] = item
        if len(items) >= max_items:
            break
    return list(items.values()) or [summary.strip()]
