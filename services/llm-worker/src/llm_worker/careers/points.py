"""A finding of the analysis: which division it belongs to, which phrase says it, and what the phrase names."""

import dataclasses
from typing import Any

STRENGTH, MUST_FIX, SUGGESTION, FURTHER = "1", "2", "3", "4"


@dataclasses.dataclass(frozen=True)
class Point:
    division: str
    key: str  # a phrase of feedback_text.PHRASES
    values: dict[str, Any] = dataclasses.field(default_factory=dict)


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters (an ellipsis marks the cut)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
