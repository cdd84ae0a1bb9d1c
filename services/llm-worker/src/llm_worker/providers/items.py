"""A clause as a checklist item: no bullet, no final punctuation, obligations in the checklist's own form.

English obligations become imperatives ("Visitors must sign in." -> "Sign in", "You must not run." -> "Do not
run"); when the subject is long, relative or the verb passive, the clause is kept as it is. Korean clauses
take the 개조식 endings of Korean checklists (korean.korean_item).
"""

import re

from llm_worker.providers.korean import korean_item
from llm_worker.providers.segment import hangul_final

_TRAIL = re.compile(r"[\s.!?…。\uff01\uff1f;:,\uff0c、]+$")
_LEAD = re.compile(r"^(?:[-*+•·▪‣◦●○■□►▶➤✓✔※]\s*|\(?\d{1,3}[.)]\s+|[①-⑳]\s*|\[[ xX✓]?\]\s*)+")
_EN_MODAL = re.compile(
    r"(?P<pre>(?:if|when|whenever|before|after|while|during|once|upon|unless|in|at|on|for)\b[^,]{0,80},\s+)?"
    r"(?:(?P<subj>[A-Za-z][\w'\u2019-]*(?:\s+[\w'\u2019-]+){0,4}?)\s+)?"
    r"(?P<modal>must not|mustn't|should not|shouldn't|shall not|may not|cannot|can not|must never|should never"
    r"|must always|should always|must|should|shall|needs? to|ha(?:ve|s) to|(?:are|is) (?:required|expected|asked) to"
    r"|(?:are|is) not (?:allowed|permitted) to)\s+(?:also\s+)?(?P<rest>.+)$",
    re.I,
)
_BAD_SUBJECT_WORDS = "who that which whose whom where when if it this these those there what one"
_BAD_SUBJECT = frozenset(_BAD_SUBJECT_WORDS.split())
_EN_REWRITES = (
    (re.compile(r"^please\s+", re.I), ""),
    (
        re.compile(
            r"^it is (?:mandatory|required|essential|necessary|important|vital|critical) (?:to|that you)\s+", re.I
        ),
        "",
    ),
    (re.compile(r"^it is (?:strictly )?(?:forbidden|prohibited|not (?:allowed|permitted)) to\s+", re.I), "do not "),
)


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
