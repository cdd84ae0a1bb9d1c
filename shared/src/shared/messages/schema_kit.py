"""Small builders for the JSON Schemas of the AI results (OpenAI strict-mode subset), and their validation.

Strict mode wants every property required and `additionalProperties: false`; an optional value is null-able.
"""

from typing import Any

import jsonschema


def obj(**properties: Any) -> dict[str, Any]:
    """An object with exactly these properties, all required."""
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def text(max_length: int) -> dict[str, Any]:
    """A non-empty string of at most `max_length` characters."""
    return {"type": "string", "minLength": 1, "maxLength": max_length}


def optional(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: dict[str, Any], max_items: int, min_items: int = 0) -> dict[str, Any]:
    return {"type": "array", "items": items, "minItems": min_items, "maxItems": max_items}


def enum(*values: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


SCORE = {"type": "integer", "minimum": 0, "maximum": 100}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


class ResultSchemas:
    """Named result schemas, each compiled once; `problems(kind, result)` says why a result does not match."""

    def __init__(self, schemas: dict[str, dict[str, Any]]) -> None:
        self.schemas = schemas
        self._validators = {name: jsonschema.Draft202012Validator(schema) for name, schema in schemas.items()}

    def problems(self, kind: str, result: Any) -> list[str]:
        """Why `result` is not a valid `kind` result: an empty list when it is."""
        return [
            f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
            for error in self._validators[kind].iter_errors(result)
        ]
