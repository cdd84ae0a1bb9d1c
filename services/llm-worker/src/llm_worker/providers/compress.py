"""Sentences shortened for the summary: asides, examples and linking words go, every number stays (but the number of
a regulation's article, which names where the rule is, not what it asks)."""

import re

# A spaced aside in brackets with no number in it: "(rectal swab)", "(see section 4)"; a glued gloss such as
# "폐기(revoke)" costs no word and names the thing in the reader's other language, so it stays.
_ASIDE = re.compile(r"\s+[(\uff08][^()\uff08\uff09\d]*[)\uff09](?=[\s.,;:!?]|$)")
# ", including roof lights and asbestos sheets," or ", such as ..." up to the next comma or the end.
_EXAMPLES = re.compile(r",\s+(?:including|such as|for example|e\.g\.|for instance)\s[^,;\d]*?(?=,|;|\.$|$)", re.I)
# The heading a regulation's article opens on, with its paragraph mark: "제3조(신고) ① 누구든지 ...".
_ARTICLE = re.compile(r"^제\d+조(?:의\d+)?\s*(?:\([^()]*\))?\s*(?:[\u2460-\u2473]\s*)?")
_OPENER = re.compile(
    r"^(?:however|in addition|additionally|also|furthermore|moreover|in particular|therefore|as a result),\s+"
    r"|^(?:다만|또한|특히|그리고|그러나|따라서|아울러|이때|이 때|그다음|그 다음|이후)[,\s]\s*",
    re.I,
)


def compress(text: str) -> str:
    """The sentence without its article heading, bracketed asides, lists of examples and opening linking words,
    capitalised again."""
    short = _ARTICLE.sub("", text) if text.startswith("제") else text
    short = _ASIDE.sub("", short) if "(" in short or "\uff08" in short else short
    short = _OPENER.sub("", _EXAMPLES.sub("", short) if ", " in short else short).strip()
    if short == text:
        return text
    if not short or not re.search(r"\w", short):
        return text
    return short[0].upper() + short[1:] if text[:1].isupper() else short


# Where a sentence joins two rules: "...을 부여하고, ...을 제공한다", "...; ...". Only 하다 verbs are split in Korean,
# since their joined form is rewritten back to a full ending without analysis.
_JOINT = re.compile(r"(?<=\S)(하고|하며|하여야 하고|해야 하고|하여야 하며|해야 하며),\s+|;\s+")
_POLITE = re.compile(r"(?:니다|세요|십시오)[.!]?$")


def clauses(text: str) -> list[str]:
    """A sentence cut where it joins rules, each part ending as a sentence of the same register ("부여하고," ->
    "부여한다." or "부여합니다."); a sentence with no such joint is its only part."""
    if ", " not in text and "; " not in text:
        return [text]
    parts, start, polite = [], 0, bool(_POLITE.search(text))
    for joint in _JOINT.finditer(text):
        head = text[start : joint.start()]
        if joint.group(1):
            must = "야" in joint.group(1)
            head += ("해야 합니다." if must else "합니다.") if polite else ("해야 한다." if must else "한다.")
        else:
            head += "."
        parts.append(head)
        start = joint.end()
    tail = text[start:]
    return [*parts, tail[0].upper() + tail[1:] if parts and tail[:1].isascii() else tail]
