"""What the offline classroom provider says (phrases.toml), in the language of the step's guide (Korean or English).

A Korean phrase takes `{x_obj}` and `{x_subj}`: the value x with the object or subject particle its last syllable
wants (설정을, 메뉴를; 버튼이, 메뉴가), so no sentence has to write 을(를).
"""

import functools
import tomllib
from pathlib import Path
from typing import Any

from llm_worker.careers.language import detect_language

__all__ = ["detect_language", "say"]
PHRASES_FILE = Path(__file__).with_name("phrases.toml")
HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3


@functools.cache
def phrases() -> dict[str, dict[str, dict[str, str]]]:
    """Every phrase table: table -> language -> key -> phrase."""
    return tomllib.loads(PHRASES_FILE.read_text(encoding="utf-8"))


def say(table: str, language: str, key: str, **values: Any) -> str:
    """The phrase `key` of `table` in `language` (English when it has none), filled with `values`."""
    tables = phrases()[table]
    phrase = (tables.get(language) or tables["en"])[key]
    filled = dict(values)
    for name, value in values.items():
        if isinstance(value, str):
            filled[f"{name}_obj"] = value + particle(value, "을", "를")
            filled[f"{name}_subj"] = value + particle(value, "이", "가")
            filled[name[:1].upper() + name[1:]] = value[:1].upper() + value[1:]
    return phrase.format(**filled)


def particle(word: str, after_consonant: str, after_vowel: str) -> str:
    """The particle for `word`: by the final consonant of its last Hangul syllable (the vowel form otherwise)."""
    for char in reversed(word):
        if HANGUL_FIRST <= ord(char) <= HANGUL_LAST:
            return after_consonant if (ord(char) - HANGUL_FIRST) % 28 else after_vowel
        if char.isalnum():
            return after_vowel
    return after_vowel
