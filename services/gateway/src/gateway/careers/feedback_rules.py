"""How a résumé feedback and a rewrite keep a worker's valid result (the status machine: work_rules.apply_event)."""

import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True, slots=True)
class Point:
    """One point of a feedback's result, at its place in the list."""

    position: int
    division: str
    result: str


def keep_feedback(feedback, result: dict) -> list[str]:
    """Store a valid feedback result on `feedback`: the résumé as Markdown, the rate, the points in order."""
    feedback.parent_content = result["parent_content"]
    feedback.matching_rate = result["matching_rate"]
    feedback.contents = [
        Point(position, item["division"], item["result"])
        for position, item in enumerate(result["feedback_contents"], start=1)
    ]
    return []


def rewritten_document(original: dict | None, kind: str, result: dict) -> dict[str, Any]:
    """The new résumé: the original's personal fields (if it still exists), the rewrite's content, and the
    résumé type that says where it came from (2: revised for a posting, 3: from general feedback)."""
    personal = ("name", "email", "phone", "address", "gender", "military_service", "birth_date")
    kept = {name: original.get(name) for name in personal} if original else {}
    return {**kept, **result, "resume_type": "2" if kind == "posting" else "3"}
