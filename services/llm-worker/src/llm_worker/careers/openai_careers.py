"""The `openai` careers provider: one chat completion per task with structured output (the task's JSON Schema
as a strict `json_schema` response format), through the official SDK."""

import functools
from typing import Any

import openai

from llm_worker.careers.port import CareersAnswer, CareersRequest
from llm_worker.careers.prompts import messages
from llm_worker.providers.base import PermanentProviderError
from llm_worker.providers.openai_chat import map_error, parse_usage
from llm_worker.structured_output import model_of, strict_format, structured
from shared.messages.careers_results import RESULT_SCHEMAS


@functools.cache
def response_format(kind: str) -> dict[str, Any]:
    """The structured-output response format of a task: its result schema, strict."""
    return strict_format(kind, RESULT_SCHEMAS[kind])


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
        return CareersAnswer(structured(response), parse_usage(response), self.name, model_of(response, self.model))
