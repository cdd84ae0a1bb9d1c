"""The checks a property can make of an output: a small vocabulary over the output's view.

A view is what a task's result offers the checks, by field: a number (`rate`, `confidence`), a text, or a list of
texts (`must_fix`, `items`, `solution`). A path names a field, or one element of it by its 1-based position
(`scores.2` is the second answer's score, `items.1` the first item; `.last` the last one). Terms are matched
case-insensitively as substrings, so a Korean term matches with its particle (`쿠버네티스` in `쿠버네티스를`).
"""

import inspect
import re
from collections.abc import Callable
from typing import Any

View = dict[str, Any]
HANGUL_WORD = re.compile(r"\S*[\uac00-\ud7a3]\S*")
LATIN_WORD = re.compile(r"(?<!\S)[^\s\uac00-\ud7a3]*[A-Za-z][^\s\uac00-\ud7a3]*")
KOREAN_AT_LEAST, ENGLISH_AT_MOST = 0.6, 0.05  # share of the words written in Hangul


def resolve(view: View, path: str) -> Any:
    """The value at `path` (None for a position the field does not have); KeyError for an unknown field."""
    name, _, position = str(path).partition(".")
    value = view[name]
    if not position:
        return value
    items = value if isinstance(value, list) else [value]
    index = -1 if position == "last" else int(position) - 1
    return items[index] if items and -len(items) <= index < len(items) else None


def texts(value: Any) -> list[str]:
    """A field's elements as texts: none for None, one for a text or number, each for a list."""
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def says(text: str, terms: list[str] | None, every: bool) -> bool:
    """Whether `text` holds every (or any) of `terms`; True when there are none."""
    if not terms:
        return True
    lowered = " ".join(text.split()).casefold()
    found = (" ".join(str(term).split()).casefold() in lowered for term in terms)
    return all(found) if every else any(found)


def _named(terms: list[str] | None, every: bool = False) -> str:
    return (" and " if every else " or ").join(map(str, terms or []))


def _mentioning(view: View, field: str, all_: list | None, any_: list | None) -> list[int]:
    elements = texts(resolve(view, field))
    return [i for i, text in enumerate(elements) if says(text, all_, True) and says(text, any_, False)]


def mentions(view: View, in_: str, all: list | None = None, any: list | None = None) -> tuple[bool, str]:
    """Some element of the field holds every term of `all` and one of `any`."""
    if _mentioning(view, in_, all, any):
        return True, ""
    wanted = " + ".join(part for part in (_named(all, True), _named(any)) if part)
    return False, f"nothing in {in_} mentions {wanted}"


def not_mentions(view: View, in_: str, any: list) -> tuple[bool, str]:
    """No element of the field holds any of the terms."""
    found = [text for text in texts(resolve(view, in_)) if says(text, any, False)]
    return (not found, f"{in_} mentions {_named(any)}: {found[0][:160]!r}" if found else "")


def count(view: View, in_: str, any: list | None = None, min: int | None = None, max: int | None = None):
    """The number of elements of the field (that hold one of `any`) is between `min` and `max`."""
    number = len(_mentioning(view, in_, None, any))
    held = (min is None or number >= min) and (max is None or number <= max)
    return held, "" if held else f"{number} in {in_}" + (f" mentioning {_named(any)}" if any else "")


def in_range(view: View, of: str, min: float | None = None, max: float | None = None) -> tuple[bool, str]:
    """A number between `min` and `max` (inclusive)."""
    value = resolve(view, of)
    if not isinstance(value, int | float):
        return False, f"{of} is {value!r}, not a number"
    held = (min is None or value >= min) and (max is None or value <= max)
    return held, "" if held else f"{of} is {value}"


def equals(view: View, of: str, value: Any = None, one_of: list | None = None) -> tuple[bool, str]:
    """The field is `value`, or one of `one_of`."""
    found = resolve(view, of)
    held = found in one_of if one_of is not None else found == value
    return held, "" if held else f"{of} is {found!r}"


def order(view: View, in_: str, first: list, then: list) -> tuple[bool, str]:
    """The first element mentioning one of `first` comes before the first mentioning one of `then`."""
    before, after = _mentioning(view, in_, None, first), _mentioning(view, in_, None, then)
    if not before or not after:
        return False, f"{in_} lacks {_named(first) if not before else _named(then)}"
    held = before[0] < after[0]
    return held, "" if held else f"{_named(then)} (#{after[0] + 1}) before {_named(first)} (#{before[0] + 1})"


def greater(view: View, left: str, right: str, by: float = 0) -> tuple[bool, str]:
    """The number at `left` exceeds the number at `right` by more than `by`."""
    a, b = resolve(view, left), resolve(view, right)
    if not isinstance(a, int | float) or not isinstance(b, int | float):
        return False, f"{left} is {a!r}, {right} is {b!r}"
    held = a > b + by
    return held, "" if held else f"{left} is {a}, {right} is {b}"


def hangul_share(text: str) -> float:
    """The share of the words written in Hangul (0 without words)."""
    hangul, latin = len(HANGUL_WORD.findall(text)), len(LATIN_WORD.findall(text))
    return hangul / (hangul + latin) if hangul + latin else 0.0


def language(view: View, is_: str, in_: list | None = None) -> tuple[bool, str]:
    """The texts of the output (or of the fields named) are in Korean (`ko`) or English (`en`)."""
    fields = in_ or [name for name, value in view.items() if not isinstance(value, int | float)]
    text = " ".join(t for field in fields for t in texts(resolve(view, field)))
    share = hangul_share(text)
    held = share >= KOREAN_AT_LEAST if is_ == "ko" else share <= ENGLISH_AT_MOST
    return held, "" if held else f"{share:.0%} of the words are Hangul"


CHECKS: dict[str, Callable[..., tuple[bool, str]]] = {
    "mentions": mentions,
    "not_mentions": not_mentions,
    "count": count,
    "range": in_range,
    "equals": equals,
    "order": order,
    "greater": greater,
    "language": language,
}
RENAMED = {"in": "in_", "is": "is_"}  # YAML keys that are Python keywords


def arguments(check: str, args: dict[str, Any]) -> dict[str, Any]:
    """A property's arguments as the check takes them; TypeError when they do not fit it."""
    renamed = {RENAMED.get(key, key): value for key, value in args.items()}
    inspect.signature(CHECKS[check]).bind(None, **renamed)
    return renamed


def paths(args: dict[str, Any]) -> list[str]:
    """The paths a property's arguments name (to check them against the task's fields)."""
    found = [args[key] for key in ("in_", "of", "left", "right") if isinstance(args.get(key), str)]
    return found + [field for field in args.get("in_", []) if isinstance(args.get("in_"), list)]
