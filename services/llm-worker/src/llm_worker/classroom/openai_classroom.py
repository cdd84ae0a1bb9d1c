"""The `openai` classroom provider: one chat completion per analysis with structured output (the result's JSON
Schema as a strict `json_schema` response format), through the official SDK."""

import functools
from typing import Any

import openai

from llm_worker.classroom.port import ClassroomAnswer, ClassroomRequest
from llm_worker.classroom.prompts import messages
from llm_worker.providers.base import PermanentProviderError
from llm_worker.providers.openai_chat import map_error, parse_usage
from llm_worker.structured_output import model_of, strict_format, structured
from shared.messages.classroom_results import RESULTS


@functools.cache
def response_format(kind: str) -> dict[str, Any]:
    """The structured-output response format of an analysis: its result schema, strict."""
    return strict_format(kind, RESULTS.schemas[kind])


class OpenAIClassroomProvider:
    """Classroom analyses through OpenAI's chat completions API (or any server that speaks it)."""

    name = "openai"
    billable = True

    def __init__(
        self,
        api_key: str,
        model: str = "gpt-4o-mini",
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 2,
        client: Any = None,
    ):
        self.model = model
        self._client = client or openai.OpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )

    def answer(self, request: ClassroomRequest) -> ClassroomAnswer:
        if request.kind not in RESULTS.schemas:
            raise PermanentProviderError(f"openai: no classroom task {request.kind!r}", code="invalid_request")
        try:
            response = self._client.chat.completions.create(
                model=self.model,
                messages=messages(request),
                response_format=response_format(request.kind),
                temperature=0,
            )
        except (openai.OpenAIError, ValueError) as err:
            raise map_error(err) from err
        return ClassroomAnswer(structured(response), parse_usage(response), self.name, model_of(response, self.model))
