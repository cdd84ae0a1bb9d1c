"""Korean clauses for the offline provider: what a clause's predicate asks, and the clause as a checklist item.

Most clauses are decided by their ending alone (imperatives, "-해야 한다", "-지 않는다", a past tense, "수 있다").
The rest, plain or polite declaratives of verbs other than 하다 ("둡니다", "버린다", "나타납니다", "많습니다"), go
to kiwipiepy's morphological analyser, which tells a verb from an adjective and gives its lemma whatever the
irregular stem, and which also writes the nominal item form ("만든다" -> "만듦", "듣는다" -> "들음") that
syllable arithmetic gets wrong. Only the last words of a clause are analysed, and the answers are cached.
"""

import re
from functools import lru_cache

IMPERATIVE, OBLIGATION, RULE, DESCRIPTIVE, NOMINAL = "imperative", "obligation", "rule", "descriptive", "nominal"
ACTIONS = frozenset((IMPERATIVE, OBLIGATION, RULE))

# Verbs that happen rather than being done: a rule never asks for them ("증상이 나타납니다", "사고가 발생한다").
_HAPPENINGS_WORDS = (
    "나타나 생기 일어나 살아남 늘어나 줄어들 걸리 퍼지 번지 이어지 높아지 낮아지 쓰러지 넘어지 다치 "
    "죽 속하 달하 이르 발생 증가 감소 차지 의미 해당 유발 초래 존재 기인 비롯 반복 감염 사망 악화 "
    "변화 의존 좌우 뜻하 말하"
)
_HAPPENINGS = frozenset(_HAPPENINGS_WORDS.split())
_N_FINAL = "".join(chr(c) for c in range(0xAC00, 0xD7A4) if (c - 0xAC00) % 28 == 4)  # 간, 는, 둔, ...: final ㄴ
_HAPPENING_HA = "|".join(sorted((w for w in _HAPPENINGS if len(w) == 2), key=len, reverse=True))
_SURFACE = (
    (re.compile(r"(?:십시오|세요|시오|바랍니다|하라|할\s*것|말\s*것|않을\s*것|하기|주기\s*바람)$"), IMPERATIVE),
    (re.compile(r"되지\s*(?:않는다|않습니다|않음|않으며|않고)$"), DESCRIPTIVE),
    (
        re.compile(
            r"지\s*(?:않는다|않습니다|않음|않기|않으며|않고|마십시오|마세요|말\s*것|않도록\s*(?:한다|합니다|함))$"
        ),
        OBLIGATION,
    ),
    (
        re.compile(
            r"(?:야|여야)\s*(?:한다|합니다|함|하며|하고|하나|된다|됩니다|됨)$|(?:아니|안)\s*(?:된다|됩니다|됨)$"
        ),
        OBLIGATION,
    ),
    (
        re.compile(r"금지(?:한다|합니다|된다|됩니다|됨|함|임|이다|입니다|하며|되며)?$|의무(?:가\s*있다|이다|입니다)?$"),
        OBLIGATION,
    ),
    (re.compile(r"(?:었|았|였|했|됐|웠|렸|켰|졌|왔|갔|쳤)(?:다|습니다|음|으며|고)$"), DESCRIPTIVE),
    (re.compile(r"(?:이다|이며|이고|였다|이었다|예요|이에요|이라고\s*한다)$"), DESCRIPTIVE),
    (re.compile(r"(?:있|없)(?:다|습니다|음|으며|고|어요)$|(?:을|를)\s*말한다$"), DESCRIPTIVE),
    (re.compile(rf"(?:{_HAPPENING_HA})(?:한다|합니다|하며|하고|함|된다|됩니다|되며|됨)$"), DESCRIPTIVE),
    (re.compile(r"(?:된다|됩니다|됨|되며|되고|되어요|돼요)$"), DESCRIPTIVE),
    (re.compile(r"(?:한다|합니다|함|하며|하고|하여|해요|해야)$"), RULE),
    # The plain present "-ㄴ다/-는다" is a verb's (an adjective's is bare "-다"), so no analysis is needed for it.
    (
        re.compile(
            r"(?:나타|생기|생긴|일어나|일어난|살아남|늘어|줄어|걸린|퍼진|번진|이어진|쓰러진|넘어진|다친|죽는|속한|달한|이른)"
            r"\S*$"
        ),
        DESCRIPTIVE,
    ),
    (
        re.compile(r"(?:는다|[" + _N_FINAL + r"]다)$"),
        RULE,
    ),
)
_PREDICATE_TAGS = ("VV", "VA", "VCP", "VCN", "XSV", "XSA", "VX")
_IMPERATIVES = (
    (re.compile(r"지\s*마(?:십시오|세요|시오|시기\s*바랍니다|라)$"), "지 않기"),
    (re.compile(r"(?:해|하여)\s*주(?:십시오|세요|시오|시기\s*바랍니다)$"), "하기"),
    (re.compile(r"\s*주(?:십시오|세요|시오|시기\s*바랍니다)$"), " 주기"),
    (re.compile(r"으?(?:십시오|세요|시오|시기\s*바랍니다)$"), "기"),
)
_HA_NOMINAL = (
    (re.compile(r"(?:하여|해)야\s*(?:한다|합니다)$"), "해야 함"),
    (re.compile(r"(?:되어|돼)야\s*(?:한다|합니다)$"), "되어야 함"),
    (re.compile(r"(?:한다|합니다|하며|하고)$"), "함"),
    (re.compile(r"(?:된다|됩니다|되며|되고)$"), "됨"),
    (re.compile(r"(?:않는다|않습니다|않으며|않고)$"), "않음"),
    (re.compile(r"(?:있다|있습니다|있으며)$"), "있음"),
    (re.compile(r"(?:없다|없습니다|없으며)$"), "없음"),
)


@lru_cache(maxsize=1)
def analyser():
    """The kiwipiepy analyser, loaded once per process on first use (about 4 s of CPU and 100 MB here)."""
    from kiwipiepy import Kiwi

    kiwi = Kiwi()
    kiwi.tokenize("준비")  # the model finishes loading on its first analysis: pay for it here, not in a job
    return kiwi


def _tail(clause: str, words: int = 3) -> str:
    return " ".join(clause.split()[-words:])


@lru_cache(maxsize=16384)
def _analysed_kind(tail: str) -> str:
    """The kind of a clause whose ending alone does not tell, from the analysis of its last words."""
    tokens = analyser().tokenize(tail)
    if not tokens or (tokens[-1].tag.startswith(("N", "S")) and tokens[-1].tag != "SN"):
        return NOMINAL
    if any(t.tag == "EP" and t.form in ("었", "았", "였", "ᆻ") for t in tokens):
        return DESCRIPTIVE
    predicates = [t for t in tokens if t.tag.split("-")[0] in _PREDICATE_TAGS]
    if not predicates:
        return NOMINAL
    head = predicates[-1]
    main = next((t for t in reversed(predicates) if t.tag.split("-")[0] in ("VV", "VA", "VCP", "XSV")), head)
    if main.tag.startswith(("VA", "VCP")) or head.form in ("있", "없"):
        return DESCRIPTIVE
    if main.form in _HAPPENINGS or (main.tag == "XSV" and main.form == "되"):
        return DESCRIPTIVE
    return RULE


def clause_kind(clause: str) -> str:
    """IMPERATIVE, OBLIGATION, RULE (a plain statement of what is done), DESCRIPTIVE or NOMINAL (no predicate)."""
    ending = clause[-24:]  # every surface pattern is anchored at the end: no need to scan the whole clause
    for pattern, kind in _SURFACE:
        if pattern.search(ending):
            return kind
    return _analysed_kind(_tail(clause))


@lru_cache(maxsize=16384)
def _nominal_tail(tail: str) -> str:
    """The last words of a declarative in the nominal -(으)ㅁ form, written by the analyser ("만든다" -> "만듦")."""
    kiwi = analyser()
    tokens = kiwi.tokenize(tail)
    if len(tokens) < 2 or (tokens[-1].tag != "EF" and tokens[-1].form not in ("며", "으며", "고")):
        return tail
    stem = tokens[:-1]
    if stem[-1].tag == "EP" and stem[-1].form == "시":
        stem = stem[:-1]
    return kiwi.join([*stem, ("음", "ETN")])


def korean_item(clause: str) -> str:
    """A Korean clause as a checklist item: imperatives as -기, declaratives as -(으)ㅁ ("패용해야 함")."""
    head, ending = clause[:-24], clause[-24:]
    for pattern, replacement in (*_IMPERATIVES, *_HA_NOMINAL):
        if pattern.search(ending):
            return head + pattern.sub(replacement, ending)
    if not re.search(r"(?:다|니다|며|고)$", clause):
        return clause
    words = clause.split()
    keep = max(0, len(words) - 3)
    tail = _nominal_tail(" ".join(words[keep:]))
    return " ".join([*words[:keep], tail])
