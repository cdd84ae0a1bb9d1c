"""The cases: one YAML file each, under the folder of its task (eval/careers/feedback/, eval/classroom/help/ ...)."""

import dataclasses
from pathlib import Path
from typing import Any

import yaml

from eval.properties.checks import CHECKS, arguments, paths

EVAL = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "ko")


@dataclasses.dataclass(frozen=True)
class Property:
    """What an output must have, in words (`says`), and the check that decides it."""

    says: str
    check: str
    args: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    task: str
    language: str
    input: dict[str, Any]
    properties: tuple[Property, ...]


def parse_property(data: Any, fields: frozenset[str], name: str) -> Property:
    """A property from its mapping: `says` and exactly one check; ValueError says what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("says"), str):
        raise ValueError(f"{name}: a property is a mapping with `says`")
    checks = [key for key in data if key != "says"]
    if len(checks) != 1 or checks[0] not in CHECKS or not isinstance(data[checks[0]], dict):
        raise ValueError(f"{name}: {data['says']!r} needs exactly one check of {sorted(CHECKS)} with its arguments")
    try:
        args = arguments(checks[0], data[checks[0]])
    except TypeError as err:
        raise ValueError(f"{name}: {data['says']!r}: {err}") from err
    unknown = [path for path in paths(args) if path.partition(".")[0] not in fields]
    if unknown:
        raise ValueError(f"{name}: {data['says']!r} names {unknown}; the task's fields are {sorted(fields)}")
    return Property(data["says"], checks[0], args)


def parse(data: Any, task: str, fields: frozenset[str], name: str) -> Case:
    """A case from one file's mapping."""
    if not isinstance(data, dict) or {"id", "language", "input", "properties"} - set(data):
        raise ValueError(f"{name}: a case needs id, language, input and properties")
    if data["language"] not in LANGUAGES:
        raise ValueError(f"{name}: language must be one of {LANGUAGES}")
    if not data["properties"]:
        raise ValueError(f"{name}: no properties")
    properties = tuple(parse_property(item, fields, name) for item in data["properties"])
    return Case(str(data["id"]), task, data["language"], dict(data["input"]), properties)


def load(folder: str, task: str, fields: frozenset[str]) -> list[Case]:
    """Every case of a task's folder (relative to eval/), sorted by file name."""
    path = EVAL / folder
    if not path.is_dir():
        raise ValueError(f"no case folder {folder!r} in {EVAL}")
    return [
        parse(yaml.safe_load(file.read_text(encoding="utf-8")), task, fields, file.name)
        for file in sorted(path.glob("*.yaml"))
    ]
