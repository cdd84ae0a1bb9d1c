"""The compiled checks of the careers results: never take a result jsonschema refuses, and take the plain ones."""

import copy
import random

import pytest

from gateway.fastpaths import result_checks
from gateway.fastpaths.result_checks import CHECKS, compile_check
from shared.messages import careers_results

SCHEMAS = careers_results.RESULT_SCHEMAS
STRANGERS = [
    None, True, False, 0, 1, -1, 1.0, 2.5, 101, 501, 10**30, "", "x", "1", "5", "9", "2024-05-17", "2024-5-17",
    "2024-05-17\n", "x2024-05-17", "한국어", [], [None], {}, {"x": 1},
    *("x" * n for n in (41, 51, 101, 1001, 2001, 4001, 5001, 50_001)),
]  # fmt: skip


def example(schema: dict, rng: random.Random):
    """A value that matches `schema` (of the subset the results use), picked at random."""
    if "anyOf" in schema:
        return example(rng.choice(schema["anyOf"]), rng)
    kind = schema["type"]
    if kind == "object":
        return {name: example(sub, rng) for name, sub in schema["properties"].items()}
    if kind == "array":
        low = schema.get("minItems", 0)
        return [example(schema["items"], rng) for _ in range(rng.randint(low, min(schema["maxItems"], low + 3)))]
    if kind == "integer":
        return rng.randint(schema["minimum"], schema["maximum"])
    if kind == "boolean":
        return rng.choice([True, False])
    if kind == "null":
        return None
    if "enum" in schema:
        return rng.choice(schema["enum"])
    if "pattern" in schema:
        return f"20{rng.randint(10, 29)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    low = schema.get("minLength", 0)
    return rng.choice("가나다abc ") * rng.randint(low, min(schema["maxLength"], low + 30))


def nodes(value, path=()):
    """Every (path, value) inside `value`, itself included."""
    yield path, value
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from nodes(child, (*path, key))


def mutated(value, rng: random.Random):
    """`value` with one node replaced, removed, added to or repeated."""
    value = copy.deepcopy(value)
    path, node = rng.choice(list(nodes(value)))
    change = rng.randrange(4)
    if change == 0 and isinstance(node, dict) and node:
        del node[rng.choice(list(node))]
    elif change == 1 and isinstance(node, dict):
        node[rng.choice(["x", "id", *node])] = rng.choice(STRANGERS)
    elif change == 2 and isinstance(node, list):
        node.extend(node * rng.choice([1, 10, 60]) or [rng.choice(STRANGERS)])
    elif path:
        parent = value
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = rng.choice(STRANGERS)
    else:
        value = rng.choice(STRANGERS)
    return value


def test_every_careers_result_schema_is_compiled():
    assert all(CHECKS[kind] is not None for kind in SCHEMAS)


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_plain_results_are_taken_and_jsonschema_takes_them_too(kind):
    rng = random.Random(kind)
    for _ in range(200):
        result = example(SCHEMAS[kind], rng)
        assert careers_results.result_problems(kind, result) == [], result
        assert CHECKS[kind](result), result


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_a_result_the_check_takes_is_one_jsonschema_takes(kind):
    """3,000 mutated results a kind: whatever the compiled check takes, jsonschema finds nothing wrong with."""
    rng, refused = random.Random(f"mutations {kind}"), 0
    for _ in range(3000):
        result = mutated(example(SCHEMAS[kind], rng), rng)
        problems = careers_results.result_problems(kind, result)
        if CHECKS[kind](result):
            assert problems == [], (result, problems)
        refused += bool(problems)
        assert result_checks.result_problems(kind, result) == problems
    assert refused > 1000  # the mutations do break results


@pytest.mark.parametrize(
    "schema",
    [
        {"type": ["string", "null"]},
        {"type": "string", "format": "date"},
        {"type": "number"},
        {"type": "object", "properties": {"a": {"type": "string"}}, "required": []},
        {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
        {"type": "array"},
        {"type": "integer", "multipleOf": 2},
        {"anyOf": [{"type": "string"}], "maxLength": 3},
        {"not": {"type": "string"}},
    ],
)
def test_a_schema_outside_the_subset_is_left_to_jsonschema(schema):
    assert compile_check(schema) is None


def test_with_fast_paths_off_jsonschema_checks_every_result(monkeypatch):
    calls = []
    monkeypatch.setattr(result_checks.switch, "enabled", lambda: False)
    monkeypatch.setattr(careers_results, "result_problems", lambda kind, result: calls.append(kind) or [])
    result_checks.result_problems("feedback", example(SCHEMAS["feedback"], random.Random(1)))
    assert calls == ["feedback"]
