"""The offline feedback: the résumé as Markdown, the matching rate, and every point of the analysis in words."""

from typing import Any

from llm_worker.careers.analysis import Analysis
from llm_worker.careers.language import say
from llm_worker.careers.markdown import resume_markdown
from llm_worker.careers.points import SUGGESTION, Point, clip

PER_DIVISION = 10  # four divisions: at most 40 points, the schema's limit
MAX_RESULT = 2000


def feedback_result(analysis: Analysis) -> dict[str, Any]:
    """The FEEDBACK result (shared.messages.careers_results) of an analysis."""
    language = analysis.resume.language
    points = sorted(analysis.points, key=lambda point: point.division) or [Point(SUGGESTION, "nothing_found")]
    kept: list[Point] = []
    for point in points:
        if sum(1 for k in kept if k.division == point.division) < PER_DIVISION:
            kept.append(point)
    return {
        "parent_content": resume_markdown(analysis.resume),
        "matching_rate": analysis.matching_rate,
        "feedback_contents": [
            {
                "division": point.division,
                "result": clip(say("feedback", language, point.key, **point.values), MAX_RESULT),
            }
            for point in kept
        ],
    }
