"""The JSON Schemas of the classroom's AI results (help request diagnosis, recording analysis); see schema_kit."""

from shared.messages.schema_kit import ResultSchemas, array, enum, obj, optional, text

DIFFICULTIES = ("EASY", "MEDIUM", "HARD")
MILLISECONDS = {"type": "integer", "minimum": 0}

HELP_ANALYSIS = obj(
    problem_diagnosis=text(2000),
    step_by_step_solution=array(text(500), max_items=20, min_items=1),
    alternative_approaches=array(text(500), max_items=10),
    confidence_score={"type": "integer", "minimum": 0, "maximum": 100},
    estimated_difficulty=enum(*DIFFICULTIES),
)

RECORDING_ANALYSIS = obj(
    summary=text(2000),
    steps=array(
        obj(
            action=text(40),
            screen=optional(text(255)),
            element=optional(text(255)),
            started_at=text(40),
            duration_ms=MILLISECONDS,
        ),
        max_items=1000,
    ),
    hesitations=array(
        obj(at=text(40), screen=optional(text(255)), waited_ms=MILLISECONDS, reason=text(500)), max_items=200
    ),
)

RESULTS = ResultSchemas({"help_analysis": HELP_ANALYSIS, "recording_analysis": RECORDING_ANALYSIS})
result_problems = RESULTS.problems
