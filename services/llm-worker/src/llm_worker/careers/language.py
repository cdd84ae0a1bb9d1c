"""Which language a text is in (Korean or English), and what the offline provider says in it (phrases.toml)."""

import functools
import re
import tomllib
from pathlib import Path
from typing import Any

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")
PHRASES_FILE = Path(__file__).with_name("phrases.toml")


def detect_language(text: str) -> str:
    """ "ko" when Hangul carries the text, else "en".

    A Korean résumé names its tools in Latin letters ("Python과 Django로 …"), so a Hangul syllable counts as
    four Latin letters: about a word each.
    """
    hangul = len(_HANGUL.findall(text))
    return "ko" if hangul and hangul * 4 >= len(_LATIN.findall(text)) else "en"


@functools.cache
def phrases() -> dict[str, dict[str, dict[str, str]]]:
    """Every phrase table: table -> language -> key -> phrase."""
    return tomllib.loads(PHRASES_FILE.read_text(encoding="utf-8"))


def say(table: str, language: str, key: str, **values: Any) -> str:
    """The phrase `key` of `table` in `language` (English when it has none), filled with `values`."""
    tables = phrases()[table]
    return (tables.get(language) or tables["en"])[key].format(**values)
