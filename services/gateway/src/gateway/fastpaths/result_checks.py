"""The careers results' JSON Schemas compiled to plain checks, for the results that plainly match them.

Every finished AI task's result is held to its JSON Schema (shared.messages.careers_results) before it is stored,
and jsonschema's validator walks it keyword by keyword through its generic machinery. `compile_check` turns a
schema of the subset the results use (schema_kit: objects with every property required and no others, strings
with lengths, an enum or a pattern, integers with bounds, booleans, arrays with bounds, null and anyOf) into one
predicate that is True only for a value that plainly matches it; a value it does not take (a float where an
integer goes, a key it does not know, anything outside the bounds) is left to jsonschema, which says why.
A schema with any other keyword is never compiled. Off with FAST_PATHS=0: jsonschema checks every result.
"""

import re
from collections.abc import Callable
from typing import Any

from gateway.fastpaths import switch
from shared.messages import careers_results

Check = Callable[[Any], bool]
KNOWN = frozenset({
    "type", "properties", "required", "additionalProperties", "minLength", "maxLength", "enum", "pattern",
    "minimum", "maximum", "items", "minItems", "maxItems", "anyOf",
})  # fmt: skip


def compile_check(schema: dict[str, Any]) -> Check | None:
    """A predicate True only for values that match `schema`, or None for a schema outside the subset."""
    if not schema.keys() <= KNOWN:
        return None
    if "anyOf" in schema:
        options = [compile_check(option) for option in schema["anyOf"]]
        if len(schema) != 1 or None in options:
            return None
        return lambda value: any(check(value) for check in options)
    kind = schema.get("type")
    compile_kind = KINDS.get(kind) if isinstance(kind, str) else None
    return compile_kind(schema) if compile_kind else None


def _object(schema: dict) -> Check | None:
    if schema.keys() - {"type", "properties", "required", "additionalProperties"}:
        return None
    properties = {name: compile_check(sub) for name, sub in schema.get("properties", {}).items()}
    names = frozenset(properties)
    if None in properties.values() or schema.get("additionalProperties") is not False:
        return None
    if set(schema.get("required", ())) != names:
        return None
    checks = tuple(properties.items())
    return lambda value: (
        type(value) is dict and value.keys() == names and all(check(value[name]) for name, check in checks)
    )


def _string(schema: dict) -> Check | None:
    if schema.keys() - {"type", "minLength", "maxLength", "enum", "pattern"}:
        return None
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    choices = frozenset(schema["enum"]) if "enum" in schema else None
    pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
    if choices is not None and not all(type(choice) is str for choice in choices):
        return None
    return lambda value: (
        type(value) is str
        and low <= len(value)
        and (high is None or len(value) <= high)
        and (choices is None or value in choices)
        and (pattern is None or pattern.search(value) is not None)
    )


def _integer(schema: dict) -> Check | None:
    if schema.keys() - {"type", "minimum", "maximum"}:
        return None
    low, high = schema.get("minimum"), schema.get("maximum")
    return lambda value: type(value) is int and (low is None or value >= low) and (high is None or value <= high)


def _array(schema: dict) -> Check | None:
    if schema.keys() - {"type", "items", "minItems", "maxItems"}:
        return None
    item = compile_check(schema["items"]) if "items" in schema else None
    if item is None:
        return None
    low, high = schema.get("minItems", 0), schema.get("maxItems")
    return lambda value: (
        type(value) is list
        and low <= len(value)
        and (high is None or len(value) <= high)
        and all(item(element) for element in value)
    )


def _only_type(kind: type | None) -> Callable[[dict], Check | None]:
    def compile_kind(schema: dict) -> Check | None:
        if len(schema) != 1:
            return None
        return (lambda value: value is None) if kind is None else (lambda value: type(value) is kind)

    return compile_kind


KINDS: dict[str, Callable[[dict], Check | None]] = {
    "object": _object,
    "string": _string,
    "integer": _integer,
    "array": _array,
    "boolean": _only_type(bool),
    "null": _only_type(None),
}
CHECKS = {kind: compile_check(schema) for kind, schema in careers_results.RESULT_SCHEMAS.items()}


def result_problems(kind: str, result: Any) -> list[str]:
    """careers_results.result_problems, with no walk through jsonschema for a result that plainly matches."""
    check = CHECKS.get(kind)
    if check is not None and switch.enabled() and check(result):
        return []
    return careers_results.result_problems(kind, result)
