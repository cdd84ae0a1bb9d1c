"""The port every LLM provider implements, and the errors it may raise."""

import dataclasses
from typing import Protocol


@dataclasses.dataclass(frozen=True)
class Usage:
    """Tokens a call consumed (estimated by providers that cannot count them)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def to_dict(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
        }

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(self.prompt_tokens + other.prompt_tokens, self.completion_tokens + other.completion_tokens)


@dataclasses.dataclass(frozen=True)
class Summary:
    text: str
    usage: Usage
    provider: str
    model: str


@dataclasses.dataclass(frozen=True)
class Checklist:
    items: list[str]
    usage: Usage
    provider: str
    model: str


class ProviderError(Exception):
    """A provider call failed. `retryable` says whether trying later may succeed."""

    retryable = False

    def __init__(self, message: str, code: str = "provider_error"):
        super().__init__(message)
        self.code = code


class TransientProviderError(ProviderError):
    """Rate limited, timed out, a 5xx or a garbled answer: worth retrying with back-off."""

    retryable = True


class PermanentProviderError(ProviderError):
    """Bad credentials, a rejected request: retrying cannot help."""


class LLMProvider(Protocol):
    """Step 1 summarises a text; step 2 makes a checklist from the text, seeing its summary too."""

    name: str
    model: str
    billable: bool  # calls cost money (or vary): a redelivery must reuse, never repeat, them

    def summarize(self, text: str) -> Summary: ...

    def make_checklist(self, summary: str, text: str | None = None) -> Checklist:
        """The actionable items of `text` (of the summary alone when no text is given), in the text's order."""
        ...
