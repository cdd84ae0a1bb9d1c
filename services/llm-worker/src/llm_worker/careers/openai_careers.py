"""The `openai` careers provider: one chat completion per task with structured output (the task's JSON Schema
as a strict `json_schema` response format), through the official SDK."""

import copy
import functools
import json
from typing import Any

import openai

from llm_worker.careers.port import CareersAnswer, CareersRequest, InvalidOutput
from llm_worker.careers.prompts import messages
from llm_worker.providers.base import PermanentProviderError
from llm_worker.providers.openai_chat import map_error, parse_usage
from shared.messages.careers_results import RESULT_SCHEMAS

# Strict mode refuses string length limits; the worker checks them (and everything else) on the answer.
UNSUPPORTED_IN_STRICT = ("minLength", "maxLength")


@functools.cache
def response_format(kind: str) -> dict[str, Any]:
    """The structured-output response format of a task: its result schema, strict."""
    schema = _without(copy.deepcopy(RESULT_SCHEMAS[kind]), UNSUPPORTED_IN_STRICT)
    return {"type": "json_schema", "json_schema": {"name": kind.replace(".", "_"), "schema": schema, "strict": True}}


def _without(schema: Any, keys: tuple[str, ...]) -> Any:
    if isinstance(schema, dict):
        return {k: _without(v, keys) for k, v in schema.items() if k not in keys}
    if isinstance(schema, list):
        return [_without(item, keys) for item in schema]
    return schema


class OpenAICareersProvider:
    """Careers tasks through OpenAI's chat completions API (or any server that speaks it)."""

    name = "openai"
    billable = True

    def __init__(
        self,
        api_key: str,
        model: str = "gpt-4o-mini",
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
        max_questions: int = 5,
        client: Any = None,
    ):
        self.model = model
        self._max_questions = max_questions
        self._client = client or openai.OpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )

    def answer(self, request: CareersRequest) -> CareersAnswer:
        if request.kind not in RESULT_SCHEMAS:
            raise PermanentProviderError(f"openai: no careers task {request.kind!r}", code="invalid_request")
        try:
            response = self._client.chat.completions.create(
                model=self.model,
                messages=messages(request, self._max_questions),
                response_format=response_format(request.kind),
                temperature=0,
            )
        except (openai.OpenAIError, ValueError) as err:
            raise map_error(err) from err
        model = getattr(response, "model", None)
        model = model if isinstance(model, str) and model else self.model
        return CareersAnswer(structured(response), parse_usage(response), self.name, model)


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
