"""Structured output over OpenAI's chat completions: a result schema as a strict `json_schema` response format, and
the JSON object a model answered with (careers and classroom providers both ask this way)."""

import copy
import json
from typing import Any

from llm_worker.providers.base import PermanentProviderError
from llm_worker.task_handling import InvalidOutput

# Strict mode refuses string length limits; the worker checks them (and everything else) on the answer.
UNSUPPORTED_IN_STRICT = ("minLength", "maxLength")


def strict_format(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The structured-output response format of a result schema, strict."""
    strict = _without(copy.deepcopy(schema), UNSUPPORTED_IN_STRICT)
    return {"type": "json_schema", "json_schema": {"name": name.replace(".", "_"), "schema": strict, "strict": True}}


def _without(schema: Any, keys: tuple[str, ...]) -> Any:
    if isinstance(schema, dict):
        return {k: _without(v, keys) for k, v in schema.items() if k not in keys}
    if isinstance(schema, list):
        return [_without(item, keys) for item in schema]
    return schema


def structured(response: Any) -> Any:
    """The JSON object the model answered with; InvalidOutput when it is cut off, missing or not JSON."""
    choices = getattr(response, "choices", None)
    if not isinstance(choices, list) or not choices:
        raise InvalidOutput("openai: the answer has no choices")
    message = getattr(choices[0], "message", None)
    refusal = getattr(message, "refusal", None)
    if refusal:
        raise PermanentProviderError(f"openai: the model refused: {refusal}", code="refused")
    if getattr(choices[0], "finish_reason", None) == "length":
        raise InvalidOutput("openai: the answer was cut off at the token limit")
    content = getattr(message, "content", None)
    if not isinstance(content, str) or not content.strip():
        raise InvalidOutput("openai: the answer is empty")
    try:
        return json.loads(content)
    except ValueError as exc:
        raise InvalidOutput(f"openai: the answer is not JSON ({exc}): {content[:120]!r}") from None


def model_of(response: Any, default: str) -> str:
    """The model that answered, as the response names it (else the one asked for)."""
    model = getattr(response, "model", None)
    return model if isinstance(model, str) and model else default
