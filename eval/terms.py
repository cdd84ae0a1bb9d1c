"""Content terms of a checklist item, a fact or a summary: what two texts must share to say the same thing.

English words are lower-cased, stripped of a few inflections ("wears", "worn" stay apart; "gloves", "gloved",
"glove" meet) and stop words; Korean goes through kiwipiepy's morphological analyser, which gives the lemma of
every content morpheme (nouns, verb and adjective stems, roots, adverbs, foreign words, numbers) whatever its
particles and endings ("신고해야 합니다" and "신고하기" both give 신고). Numbers are also kept as written, with
thousands separators dropped, because an item that loses "within 2 weeks" has lost its deadline.
"""

import re
from functools import lru_cache

_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_ASCII = re.compile(r"[A-Za-z][A-Za-z'\u2019]*|\d+(?:[.,:]\d+)*")
_PUNCTUATION = ".,;:!?()[]{}\"'\u201c\u201d\u2018\u2019\u00b7"
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_EN_STOP_WORDS = (
    "a an the and or but if then than so of to in on at by for with from into onto as is are was were be been being "
    "it its this that these those there their they them you your yours we our us he she his her him i me my all any "
    "each every not no do does did done can could may might will would must should shall have has had also only such "
    "which who whom whose what when where how why while please ensure make sure required require requires need needs "
    "always never don't doesn't it's per via eg etc"
)
_EN_STOP = frozenset(_EN_STOP_WORDS.split())
_KO_CONTENT_TAGS = ("NNG", "NNP", "NNB", "NR", "SH", "XR", "VV", "VA", "MAG")
# Modality is not content, in either language: "must", "never", "not", "required" are English stop words above,
# and 금지 (prohibited), 가능 (allowed), 필요 (needed), 의무 (duty) are their Korean counterparts.
_KO_STOP_WORDS = (
    "있 없 하 되 않 말 것 수 등 및 데 바 중 때 시 뿐 줄 반드시 꼭 절대 절대로 항상 모든 금지 가능 불가 필요 의무"
)
_KO_STOP = frozenset(_KO_STOP_WORDS.split())


def numbers(text: str) -> frozenset[str]:
    """The numbers written in a text, "1,000" read as "1000"."""
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(text))


def stem(word: str) -> str:
    """A light English stem: plural, -ing and -ed endings and a final e off ("gloves", "gloved" -> "glov")."""
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "zes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    elif word.endswith("ing") and len(word) > 4:
        word = word[:-3]
    elif word.endswith("ed") and not word.endswith("eed") and len(word) > 3:
        word = word[:-2]
    return word[:-1] if word.endswith("e") and len(word) > 2 else word


@lru_cache(maxsize=1)
def _kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()


@lru_cache(maxsize=65536)
def _korean_word(word: str) -> frozenset[str]:
    """The lemmas of the Korean content morphemes of one word, analysed on its own so context cannot move them."""
    found = set()
    for token in _kiwi().tokenize(word):
        tag = token.tag.split("-")[0]  # "VV-R": a regular verb
        if tag in _KO_CONTENT_TAGS and _HANGUL.search(token.form) and token.form not in _KO_STOP:
            found.add(token.form)
    return frozenset(found)


def _korean(text: str) -> set[str]:
    """The Korean content terms of a text, word by word."""
    words = (word.strip(_PUNCTUATION) for word in text.split())
    return set().union(*(_korean_word(word) for word in words if _HANGUL.search(word)))


@lru_cache(maxsize=65536)
def terms(text: str) -> frozenset[str]:
    """The content terms of a text in any mix of Korean and English."""
    found = _korean(text) if _HANGUL.search(text) else set()
    for word in _ASCII.findall(text):
        word = word.lower().replace("\u2019", "'")
        if word[0].isdigit():
            found.add(word.replace(",", ""))
        elif word not in _EN_STOP and len(word) > 1:
            found.add(stem(word))
    return frozenset(found)
