"""The `openai` provider: OpenAI chat completions (official SDK) behind the LLMProvider port."""

import json
import re
from typing import Any

import openai

from llm_worker.providers.base import (
    Checklist,
    PermanentProviderError,
    ProviderError,
    Summary,
    TransientProviderError,
    Usage,
)

SUMMARY_PROMPT = (
    "You summarise guidelines. Write a concise summary of the guideline the user sends, "
    "in the same language as that guideline. Reply with the summary only."
)
CHECKLIST_PROMPT = (
    "You turn summaries of guidelines into checklists. Write a checklist of the actionable items in the summary "
    'the user sends: one item per line, each line starting with "- ", in the same language as that summary. '
    "Reply with the checklist only."
)

CHECKLIST_FROM_TEXT_PROMPT = (
    "You turn guidelines into checklists. The user sends a guideline and its summary. Write a checklist of every "
    "actionable item in the guideline (what someone must do or must not do), not only those in the summary: one "
    'item per line, each line starting with "- ", in the guideline\'s language and order, keeping every number, '
    "unit and deadline. Leave out background, definitions and notes. Reply with the checklist only."
)

_BULLET = re.compile(r"^\s*(?:[-*]\s+|•\s*|\d{1,3}[.)]\s+)(?P<item>.*)$")
_CHECKBOX = re.compile(r"^\[[ xX]?\]\s*")
_FENCE = re.compile(r"^```[a-zA-Z]*\s*(?P<body>.*?)\s*```$", re.DOTALL)
_PERMANENT = (
    (openai.AuthenticationError, "auth_failed"),
    (openai.PermissionDeniedError, "forbidden"),
    (openai.BadRequestError, "bad_request"),
    (openai.NotFoundError, "not_found"),
)
_TRANSIENT = (
    (openai.RateLimitError, "rate_limited"),
    (openai.APITimeoutError, "timeout"),  # before APIConnectionError, its base class
    (openai.APIConnectionError, "connection_error"),
    (openai.InternalServerError, "provider_5xx"),
    (openai.APIResponseValidationError, "malformed_response"),
)


def _malformed(why: str) -> TransientProviderError:
    """The error for an answer we cannot use."""
    return TransientProviderError(f"openai: malformed response ({why})", code="malformed_response")


def map_error(err: Exception) -> ProviderError:
    """Translate an SDK (or body-parsing) exception into the port's error types."""
    for kind, code in _PERMANENT:
        if isinstance(err, kind):
            return PermanentProviderError(f"openai: {err}", code=code)
    for kind, code in _TRANSIENT:
        if isinstance(err, kind):
            return TransientProviderError(f"openai: {err}", code=code)
    if isinstance(err, openai.APIStatusError):  # other statuses: 5xx and the SDK's retryable 408/409 are transient
        status = err.status_code
        kind = TransientProviderError if status >= 500 or status in (408, 409) else PermanentProviderError
        return kind(f"openai: {err}", code="provider_5xx" if status >= 500 else f"http_{status}")
    if isinstance(err, openai.APIError):
        return TransientProviderError(f"openai: {err}", code="provider_error")
    if isinstance(err, ValueError):  # json.JSONDecodeError, pydantic.ValidationError
        return _malformed(f"{type(err).__name__}: {err}")
    return PermanentProviderError(f"openai: {err}", code="provider_error")


def _count(value: Any) -> int:
    """A token count, or 0 if absent or not a number."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def parse_usage(response: Any) -> Usage:
    """Usage from `response.usage`, zeros when absent."""
    usage = getattr(response, "usage", None)
    return Usage(_count(getattr(usage, "prompt_tokens", 0)), _count(getattr(usage, "completion_tokens", 0)))


def reply_text(response: Any) -> str:
    """The first choice's message content; malformed_response if there is none."""
    choices = getattr(response, "choices", None)
    if not isinstance(choices, list) or not choices:
        raise _malformed("no choices")
    content = getattr(getattr(choices[0], "message", None), "content", None)
    if not isinstance(content, str) or not content.strip():
        raise _malformed("empty content")
    return content.strip()


def _json_items(text: str) -> list[str] | None:
    """The strings of a JSON array reply (optionally in a code fence), or None if it is not one."""
    fenced = _FENCE.match(text)
    body = fenced.group("body") if fenced else text
    if not body.startswith("["):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return [item for item in data if isinstance(item, str)] if isinstance(data, list) else None


def parse_checklist(text: str) -> list[str]:
    """Checklist items from a bulleted, numbered or JSON-array reply: stripped, de-duplicated, non-empty."""
    items = _json_items(text.strip())
    if items is None:
        items = [m.group("item") for line in text.splitlines() if (m := _BULLET.match(line))]
    seen: set[str] = set()
    result = []
    for item in items:
        item = _CHECKBOX.sub("", " ".join(item.split()))
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            result.append(item)
    return result


class OpenAIProvider:
    """Summary and checklist through OpenAI's chat completions API."""

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
        self._client = (
            client
            if client is not None
            else openai.OpenAI(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)
        )

    def _chat(self, system: str, user: str) -> tuple[str, Usage, str]:
        """One chat completion: (reply text, usage, model that answered)."""
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
        try:
            response = self._client.chat.completions.create(model=self.model, messages=messages, temperature=0)
        except (openai.OpenAIError, ValueError) as err:
            raise map_error(err) from err
        model = getattr(response, "model", None)
        return reply_text(response), parse_usage(response), model if isinstance(model, str) and model else self.model

    def summarize(self, text: str) -> Summary:
        """Step 1: a concise summary in the input's language."""
        reply, usage, model = self._chat(SUMMARY_PROMPT, text)
        return Summary(text=reply, usage=usage, provider=self.name, model=model)

    def make_checklist(self, summary: str, text: str | None = None) -> Checklist:
        """Step 2: actionable checklist items from the text, with its summary beside it (or the summary alone)."""
        if text is None:
            reply, usage, model = self._chat(CHECKLIST_PROMPT, summary)
        else:
            reply, usage, model = self._chat(CHECKLIST_FROM_TEXT_PROMPT, f"Guideline:\n{text}\n\nSummary:\n{summary}")
        items = parse_checklist(reply)
        if not items:
            raise _malformed("no checklist items")
        return Checklist(items=items, usage=usage, provider=self.name, model=model)
